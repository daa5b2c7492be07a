import type { ConnectedEvent } from './events.js';
import type { Link } from './link.js';
import type { ImgateClientOptions } from './options.js';
import type { AuthSnapshot } from './session-state.js';
import { bytesOf, textOf } from './wire.js';

/** The op-7 body: goim's fields (mid, key, room_id, platform, accepts) plus the token, and `extra` (reliable delivery's opt-in). */
export function authBody(sent: AuthSnapshot, opts: Pick<ImgateClientOptions, 'mid' | 'key' | 'platform'>, token: string | undefined, extra: Record<string, unknown> = {}): Uint8Array {
  const auth: Record<string, unknown> = { room_id: sent.room, platform: opts.platform ?? 'web', accepts: [...sent.accepts], ...extra };
  if (opts.mid !== undefined) auth.mid = opts.mid;
  if (opts.key !== undefined) auth.key = opts.key;
  if (token !== undefined) auth.token = token;
  return bytesOf(auth);
}

/** The op-8 body as an object; goim's auth reply is empty, which reads as {}. */
export function authReply(body: Uint8Array): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(textOf(body));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What the application learns about a new connection. */
export function connectedEvent(reply: Record<string, unknown>, link: Link, sent: AuthSnapshot, fallbackMid: number | undefined, heartbeatMs: number): ConnectedEvent {
  return {
    mid: typeof reply.mid === 'number' ? reply.mid : (fallbackMid ?? 0),
    key: typeof reply.key === 'string' ? reply.key : '',
    node: link.url,
    nodeId: link.candidate.node.id,
    room: typeof reply.room_id === 'string' ? reply.room_id : sent.room,
    transport: link.kind,
    heartbeatMs,
    resumed: reply.resumed === true,
  };
}
