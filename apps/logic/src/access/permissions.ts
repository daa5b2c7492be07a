import { GrpcStatus, RpcError } from '@imgate/common';
import type { logic } from '@imgate/contracts';
import { BUSINESS_OP_MIN, roomGranted } from '@imgate/protocol';
import type { AccessConfig } from './access.config';

/** The token claims permissions come from (absent when dev auth trusted the body). */
export interface AccessClaims {
  rooms?: unknown;
  ops?: unknown;
}

const GRANT = /^[\x21-\x7e]{1,129}$/;
const MAX_GRANTS = 256;
const INT32_MAX = 0x7fffffff;
/** goim's op 4 ("send message") may be granted like a business operation. */
const SEND_MESSAGE = 4;

function claimError(message: string): RpcError {
  return RpcError.unauthenticated(`token rejected: ${message}`);
}

function roomsOf(claim: unknown): string[] {
  if (!Array.isArray(claim) || claim.length > MAX_GRANTS || !claim.every((r) => typeof r === 'string' && GRANT.test(r))) {
    throw claimError(`claim "rooms" must be an array of at most ${MAX_GRANTS} room ids or prefixes ending in "*"`);
  }
  return claim as string[];
}

function opsOf(claim: unknown, name: string, send: boolean): number[] {
  const ok = (op: unknown) => Number.isInteger(op) && (((op as number) >= BUSINESS_OP_MIN && (op as number) <= INT32_MAX) || (send && op === SEND_MESSAGE));
  if (!Array.isArray(claim) || claim.length > MAX_GRANTS || !claim.every(ok)) {
    throw claimError(`claim "${name}" must be an array of at most ${MAX_GRANTS} operations (${send ? '4 or ' : ''}${BUSINESS_OP_MIN}-${INT32_MAX})`);
  }
  return [...new Set(claim as number[])];
}

/**
 * What a connection may do. Claim `rooms`: room ids or prefixes (`live://*`). Claim `ops`: an array
 * (the operations it may both send and receive), or `{"send":[…],"sub":[…]}`; a side the claim does
 * not name, like a missing claim, follows LOGIC_OPS_DEFAULT (rooms: LOGIC_ROOMS_DEFAULT).
 * Undefined when nothing is limited and there is no join hook: goim's reply, unchanged.
 */
export function permissionsFor(claims: AccessClaims | undefined, config: AccessConfig): logic.Permissions | undefined {
  const p: logic.Permissions = {};
  if (claims?.rooms !== undefined) p.rooms = roomsOf(claims.rooms);
  else if (config.roomsDefault === 'deny') p.rooms = [];
  p.roomsLimited = p.rooms !== undefined;

  let send: number[] | undefined;
  let sub: number[] | undefined;
  const ops = claims?.ops;
  if (Array.isArray(ops)) send = sub = opsOf(ops, 'ops', false);
  else if (typeof ops === 'object' && ops !== null) {
    const o = ops as Record<string, unknown>;
    if (o.send !== undefined) send = opsOf(o.send, 'ops.send', true);
    if (o.sub !== undefined) sub = opsOf(o.sub, 'ops.sub', false);
  } else if (ops !== undefined) throw claimError('claim "ops" must be an array of operations or {"send":[…],"sub":[…]}');
  if (config.opsDefault === 'deny') {
    send ??= [];
    sub ??= [];
  }
  if (send) Object.assign(p, { sendLimited: true, sendOps: send });
  if (sub) Object.assign(p, { subLimited: true, subOps: sub });
  p.joinHook = config.joinHookUrl !== '';
  return p.roomsLimited || p.sendLimited || p.subLimited || p.joinHook ? p : undefined;
}

/** The auth body's room and accepts must be within the permissions. */
export function checkAuthRequest(p: logic.Permissions | undefined, roomId: string, accepts: readonly number[]): void {
  if (!p) return;
  if (p.roomsLimited && !roomGranted(p.rooms ?? [], roomId)) {
    throw new RpcError(GrpcStatus.PERMISSION_DENIED, `room ${roomId} is not permitted by the token`);
  }
  if (p.subLimited) {
    const allowed = new Set(p.subOps);
    const bad = accepts.find((op) => !allowed.has(op));
    if (bad !== undefined) throw new RpcError(GrpcStatus.PERMISSION_DENIED, `operation ${bad} is not permitted by the token (accepts)`);
  }
}
