import type { StreamMessage, StreamRead } from './stream.repository';

/** One stored history entry, as both stores hold it. */
export interface HeldEntry {
  offset: bigint;
  id: bigint;
  operation: number;
  body: Uint8Array;
  /** Append time, ms; never decreases along a stream's offsets. */
  t: number;
}

/** A stream's meta hash; null when the stream does not exist. */
export interface StreamMeta {
  epoch: number;
  top: bigint;
}

/**
 * The answer to "everything after `after` in `epoch`", given the stored entries from offset
 * `after` + 1 on (ascending, at most `limit` + 1). `lost` when the epoch changed, the position is
 * past the head, or offset `after` + 1 is no longer held (trimmed by size, or older than the age
 * bound `cutoffMs`). Position 0 holds nothing, so it is never lost to an epoch change.
 */
export function judgeAfter(
  stream: string, meta: StreamMeta | null, epochHeld: number, after: bigint, entries: ReadonlyArray<HeldEntry>, cutoffMs: number, limit: number,
): StreamRead {
  const epoch = meta?.epoch ?? 0;
  const head = meta?.top ?? 0n;
  const lost: StreamRead = { status: 'lost', epoch, head, messages: [] };
  if (after < 0n || after > head) return lost;
  if (after > 0n && epochHeld !== epoch) return lost;
  if (after === head) return { status: 'ok', epoch, head, messages: [] };
  const first = entries[0];
  if (!first || first.offset !== after + 1n || first.t < cutoffMs) return lost;
  return page(stream, epoch, head, entries, cutoffMs, limit);
}

/** The latest `n` messages still held, given the latest stored entries (ascending, at most `n`). */
export function judgeLast(
  stream: string, meta: StreamMeta | null, n: number, entries: ReadonlyArray<HeldEntry>, cutoffMs: number, limit: number,
): StreamRead {
  if (!meta) return { status: 'ok', epoch: 0, head: 0n, messages: [] };
  const held = n > 0 ? entries.slice(-n) : [];
  return page(stream, meta.epoch, meta.top, held, cutoffMs, limit);
}

function page(stream: string, epoch: number, head: bigint, entries: ReadonlyArray<HeldEntry>, cutoffMs: number, limit: number): StreamRead {
  const fresh = entries.filter((e) => e.t >= cutoffMs && e.offset <= head);
  const n = pageSize(limit);
  const messages: StreamMessage[] = fresh.slice(0, n).map((e) => ({ stream, epoch, offset: e.offset, id: e.id, operation: e.operation, body: e.body }));
  if (fresh.length > n) return { status: 'more', epoch, head, next: fresh[n].offset, messages };
  return { status: 'ok', epoch, head, messages };
}

/** A reply holds at least one message, whatever limit the caller passed. */
export function pageSize(limit: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1;
}
