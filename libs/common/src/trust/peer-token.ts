import { createHmac, timingSafeEqual } from 'node:crypto';

/** The roles of an imgate cluster, as they name each other. */
export type ClusterRole = 'comet' | 'logic' | 'job';
export const CLUSTER_ROLES: readonly ClusterRole[] = ['comet', 'logic', 'job'];

/** gRPC metadata key of the CLUSTER_SECRET proof (when gRPC runs without TLS). */
export const PEER_METADATA = 'x-imgate-peer';

/** How far a proof's timestamp may be from the receiver's clock. */
export const PEER_TOKEN_SKEW_SEC = 300;

export interface PeerId {
  role: ClusterRole;
  /** The comet id for comets; empty for logic and job. */
  id: string;
}

function mac(secret: Buffer, role: string, id: string, ts: string): Buffer {
  return createHmac('sha256', secret).update(`imgate-peer v1\n${role}\n${id}\n${ts}`).digest();
}

/** `v1 <role> <id|-> <unix seconds> <base64url HMAC-SHA256>`: proves CLUSTER_SECRET without sending it. */
export function signPeerToken(secret: Buffer, peer: PeerId, nowSec: number): string {
  const ts = String(Math.floor(nowSec));
  return `v1 ${peer.role} ${peer.id || '-'} ${ts} ${mac(secret, peer.role, peer.id, ts).toString('base64url')}`;
}

/** The peer a token proves, or why it proves nothing (`bad_token`, `stale_token`). */
export function verifyPeerToken(secret: Buffer, token: string, nowSec: number): PeerId | { refused: 'bad_token' | 'stale_token' } {
  const parts = token.split(' ');
  if (parts.length !== 5 || parts[0] !== 'v1' || !/^\d{1,12}$/.test(parts[3])) return { refused: 'bad_token' };
  const [, role, rawId, ts, given] = parts;
  if (!(CLUSTER_ROLES as readonly string[]).includes(role)) return { refused: 'bad_token' };
  const id = rawId === '-' ? '' : rawId;
  const expected = mac(secret, role, id, ts);
  const presented = Buffer.from(given, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { refused: 'bad_token' };
  if (Math.abs(nowSec - Number(ts)) > PEER_TOKEN_SKEW_SEC) return { refused: 'stale_token' };
  return { role: role as ClusterRole, id };
}
