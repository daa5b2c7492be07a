import type { logic } from '@imgate/contracts';
import { Outbound } from '../push/outbound';
import { messageIdOf, streamBodies } from '../push/stream-forms';

/** The connection as a resumed session needs it. */
export interface Resumable {
  joinRoom(room: string): void;
  readonly roomCount: number;
  readonly accepts: ReadonlySet<number>;
  deliver(out: Outbound): boolean;
}

/** The auth reply's resume fields (docs/protocol.md): the token for next time, its window, and whether this was one. */
export function resumeFields(reply: logic.ConnectReply__Output): Record<string, unknown> {
  if (!reply.resume) return {};
  return { resume: reply.resume, resume_ttl: reply.resumeTtlSec, ...(reply.resumed ? { resumed: true } : {}) };
}

/** A resumed session's further rooms (op 23 before the switch), within this comet's room limit. */
export function restoreRooms(conn: Resumable, rooms: readonly string[], maxRooms: number): void {
  for (const room of rooms) if (room && conn.roomCount < maxRooms) conn.joinRoom(room);
}

/** Pushes by key that came while the session was away, in order, as any push by key is written. */
export function deliverHeld(conn: Resumable, held: readonly logic.HeldPush__Output[]): void {
  for (const h of held) {
    if (!conn.accepts.has(h.operation)) continue;
    const id = messageIdOf(h.messageId);
    if (!conn.deliver(new Outbound(h.operation, [h.body], 0, id === undefined ? undefined : streamBodies(h.operation, [h.body], [id], [])))) return;
  }
}
