import type { Logger } from '@imgate/common';
import type { Buckets } from '../bucket/buckets';
import type { CometConfig } from '../comet.config';
import type { AckForwarder } from '../logic/ack-forwarder';
import type { LogicClient } from '../logic/logic.client';
import type { SessionRenewals } from '../logic/session-renewals';
import type { SessionUpdates } from '../logic/session-updates';
import type { CometMetrics } from '../comet.metrics';
import type { AcceptSets } from './accept-sets';
import type { Deadlines } from './deadlines';
import type { ResumeGate } from './resume-gate';

/** Room membership as the cluster sees it. */
export interface ClusterRooms {
  /** Resolves once logic has recorded every room in `rooms` that is new on this comet. */
  ready(rooms: Iterable<string>): Promise<void>;
  /** Cluster-wide member count of a room, as of the last online report. */
  online(room: string): number;
}

/** What every connection shares: config, channel index, logic, rooms, deadlines, metrics, log. */
export interface ConnectionContext {
  config: CometConfig;
  buckets: Buckets;
  logic: Pick<LogicClient, 'connect' | 'disconnect' | 'receive' | 'sync' | 'authorizeJoin'>;
  /** Client acks (op 18), gathered comet-wide for logic. */
  acks: Pick<AckForwarder, 'add'>;
  rooms: ClusterRooms;
  deadlines: Pick<Deadlines, 'now' | 'watch' | 'unwatch'>;
  renewals: Pick<SessionRenewals, 'add'>;
  /** Room and operation changes, for the session record logic keeps (resume, /v1/connections). */
  sessionUpdates: Pick<SessionUpdates, 'add'>;
  /** Orders a key's Disconnect and a resume of it on this comet. */
  resumeGate: ResumeGate;
  accepts: AcceptSets;
  metrics: CometMetrics;
  logger: Logger;
}

const encoder = new TextEncoder();

/** Body of the packets that carry a reason (op 6 disconnect, op 21 kick, op 22 error, op 20 reconnect). */
export function reasonBody(code: string, reason: string, extra: Record<string, unknown> = {}): Uint8Array {
  return encoder.encode(JSON.stringify({ code, reason, ...extra }));
}

export function jsonBody(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function int32Body(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, n >>> 16, n >>> 8, n);
}

export const ROOM_ID = /^[\x21-\x7e]{0,128}$/;

/** goim's sub/unsub body: `1000,1001`. Null when malformed. */
export function parseOps(body: Uint8Array): number[] | null {
  const text = new TextDecoder().decode(body).trim();
  if (text === '') return [];
  const ops = text.split(',').map((s) => s.trim());
  if (ops.length > 256 || !ops.every((s) => /^\d{4,10}$/.test(s))) return null;
  const nums = ops.map(Number);
  return nums.every((n) => n >= 1000 && n <= 0x7fffffff) ? nums : null;
}
