import { isServiceError } from '@imgate/common';
import type { logic } from '@imgate/contracts';
import { jsonBody } from './connection-context';
import { authDeliveryBlock } from './delivery-ops';
import { resumeFields } from './resume-ops';

/** gRPC codes by which logic refuses a client: UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT. */
const REFUSALS = new Set([16, 7, 3]);

export interface AuthFailure {
  /** The disconnect code the client gets. */
  code: 'auth_failed' | 'too_many_connections' | 'unavailable';
  /** The auth metric's result label. */
  result: 'rejected' | 'limited' | 'unavailable';
  reason: string;
}

/**
 * How a failed Connect ends the client. Only logic's refusals end its retries (auth_failed);
 * anything else (logic, Redis or Kafka away, a deadline, an internal fault) is retryable: the SDK
 * backs off and tries again. RESOURCE_EXHAUSTED: the user is at LOGIC_MAX_KEYS_PER_MID;
 * retryable, like the per-address limit.
 */
export function authFailure(err: unknown): AuthFailure {
  const exhausted = isServiceError(err) && err.code === 8;
  const unavailable = !exhausted && !(isServiceError(err) && REFUSALS.has(err.code));
  const detail = isServiceError(err) ? err.details : (err as Error).message;
  if (unavailable) return { code: 'unavailable', result: 'unavailable', reason: `auth service unavailable (${detail})` };
  return exhausted ? { code: 'too_many_connections', result: 'limited', reason: detail } : { code: 'auth_failed', result: 'rejected', reason: detail };
}

/** The op-8 reply body: goim's fields, then the delivery and resume blocks and the transport's extras. */
export function authReplyBody(reply: logic.ConnectReply__Output, roomId: string, extras: Record<string, unknown> | undefined): Uint8Array {
  return jsonBody({
    mid: reply.mid,
    key: reply.key,
    room_id: roomId,
    heartbeat: reply.heartbeatSec,
    heartbeat_min: reply.heartbeatMinSec,
    heartbeat_step: reply.heartbeatStepSec,
    ...(reply.delivery ? { delivery: authDeliveryBlock(reply) } : {}),
    ...resumeFields(reply),
    ...extras,
  });
}
