import { ProtocolError } from './errors';
import { jsonBytes, jsonObjectOf, mapStreamEntries, MAX_BODY_STREAMS, show } from './json-body';
import { isU32, isU64, parseOffset } from './offset';
import { isStreamName } from './stream-name';

export type SyncStatus = 'ok' | 'more' | 'lost' | 'denied';

/**
 * One stream of an op-29 reply (docs/delivery.md): `ok` — everything up to `head` was in the
 * reply; `more` — the limit was reached, sync again from `next` − 1; `lost` — the position is
 * gone, continue from `head` under `epoch`; `denied` — not the client's stream.
 */
export type SyncReplyStream =
  | { stream: string; status: 'ok' | 'lost'; epoch: number; head: bigint }
  | { stream: string; status: 'more'; epoch: number; head: bigint; next: bigint }
  | { stream: string; status: 'denied' };

/** The op-29 body. */
export interface SyncReply {
  streams: SyncReplyStream[];
}

const STATUSES: ReadonlySet<unknown> = new Set<SyncStatus>(['ok', 'more', 'lost', 'denied']);

function isStatus(s: unknown): s is SyncStatus {
  return STATUSES.has(s);
}

/** The op-29 body. */
export function encodeSyncReply(reply: SyncReply): Uint8Array {
  if (reply.streams.length > MAX_BODY_STREAMS) throw new RangeError(`a sync reply names at most ${MAX_BODY_STREAMS} streams`);
  const streams = reply.streams.map((s) => {
    if (!isStreamName(s.stream)) throw new RangeError(`${show(s.stream)} is not a stream name`);
    if (s.status === 'denied') return { stream: s.stream, status: s.status };
    if (!isU32(s.epoch)) throw new RangeError(`epoch ${s.epoch} of ${s.stream} is not a u32`);
    if (!isU64(s.head)) throw new RangeError(`head ${s.head} of ${s.stream} is not a u64`);
    const out: Record<string, unknown> = { stream: s.stream, epoch: s.epoch, head: s.head.toString(), status: s.status };
    if (s.status === 'more') {
      if (s.next < 1n || s.next > s.head) throw new RangeError(`next ${s.next} of ${s.stream} is not 1-${s.head}`);
      out.next = s.next.toString();
    }
    return out;
  });
  return jsonBytes({ streams });
}

/** Reads an op-29 body; `next` is required only for `more`, epoch and head not for `denied`. */
export function parseSyncReply(body: Uint8Array): SyncReply {
  const o = jsonObjectOf(body, 'bad_sync_reply', 'sync reply body');
  if (!Array.isArray(o.streams) || o.streams.length > MAX_BODY_STREAMS) {
    throw bad(`streams must be an array of at most ${MAX_BODY_STREAMS} statuses`);
  }
  const streams = mapStreamEntries(o.streams as unknown[], bad, (stream, e): SyncReplyStream => {
    const status = e.status;
    if (!isStatus(status)) throw bad(`status of ${stream} must be ok, more, lost or denied, got ${show(status)}`);
    if (status === 'denied') return { stream, status };
    if (!isU32(e.epoch)) throw bad(`epoch of ${stream} must be a u32, got ${show(e.epoch)}`);
    const head = parseOffset(e.head);
    if (head === undefined) throw bad(`head of ${stream} must be a decimal u64 string, got ${show(e.head)}`);
    if (status !== 'more') return { stream, status, epoch: e.epoch, head };
    const next = parseOffset(e.next);
    if (next === undefined || next < 1n || next > head) throw bad(`next of ${stream} must be a decimal string 1-${head} for more, got ${show(e.next)}`);
    return { stream, status, epoch: e.epoch, head, next };
  });
  return { streams };
}

function bad(message: string): ProtocolError {
  return new ProtocolError('bad_sync_reply', message);
}
