import { ProtocolError } from './errors';
import { jsonBytes, jsonObjectOf, mapStreamEntries, MAX_BODY_STREAMS, show } from './json-body';
import { isU32, isU64, parseOffset } from './offset';
import { isStreamName } from './stream-name';

/** Largest (and default) number of messages one sync reply carries. */
export const MAX_SYNC_LIMIT = 500;

/**
 * One stream of an op-28 request: everything after `offset` (the last the client holds, under
 * `epoch`), or the latest `last` messages.
 */
export type SyncPosition = { stream: string; epoch: number; offset: bigint } | { stream: string; last: number };

/** The op-28 body (docs/delivery.md). */
export interface SyncRequest {
  streams: SyncPosition[];
  /** 1-500 messages in the whole reply; 500 when the body has none. */
  limit: number;
}

/** The op-28 body; `limit` is left out when not given (the server's default is the maximum). */
export function encodeSync(req: { streams: readonly SyncPosition[]; limit?: number }): Uint8Array {
  const n = req.streams.length;
  if (n < 1 || n > MAX_BODY_STREAMS) throw new RangeError(`a sync names 1-${MAX_BODY_STREAMS} streams, got ${n}`);
  if (req.limit !== undefined && !validLimit(req.limit)) throw new RangeError(`limit ${req.limit} is not 1-${MAX_SYNC_LIMIT}`);
  const streams = req.streams.map((p) => {
    if (!isStreamName(p.stream)) throw new RangeError(`${show(p.stream)} is not a stream name`);
    if ('last' in p) {
      if (!validLimit(p.last)) throw new RangeError(`last ${p.last} of ${p.stream} is not 1-${MAX_SYNC_LIMIT}`);
      return { stream: p.stream, last: p.last };
    }
    if (!isU32(p.epoch)) throw new RangeError(`epoch ${p.epoch} of ${p.stream} is not a u32`);
    if (!isU64(p.offset)) throw new RangeError(`offset ${p.offset} of ${p.stream} is not a u64`);
    return { stream: p.stream, epoch: p.epoch, offset: p.offset.toString() };
  });
  return jsonBytes(req.limit === undefined ? { streams } : { streams, limit: req.limit });
}

/** Reads an op-28 body; every rejection names the stream and field. */
export function parseSync(body: Uint8Array): SyncRequest {
  const o = jsonObjectOf(body, 'bad_sync', 'sync body');
  if (!Array.isArray(o.streams) || o.streams.length < 1 || o.streams.length > MAX_BODY_STREAMS) {
    throw bad(`streams must be an array of 1-${MAX_BODY_STREAMS} positions`);
  }
  let limit = MAX_SYNC_LIMIT;
  if (o.limit !== undefined && o.limit !== null) {
    if (!validLimit(o.limit)) throw bad(`limit must be an integer 1-${MAX_SYNC_LIMIT}, got ${show(o.limit)}`);
    limit = o.limit;
  }
  const streams = mapStreamEntries(o.streams as unknown[], bad, (stream, e): SyncPosition => {
    const hasOffset = e.offset !== undefined && e.offset !== null;
    const hasLast = e.last !== undefined && e.last !== null;
    if (hasOffset === hasLast) throw bad(`${stream} needs exactly one of offset and last`);
    if (hasLast) {
      if (!validLimit(e.last)) throw bad(`last of ${stream} must be an integer 1-${MAX_SYNC_LIMIT}, got ${show(e.last)}`);
      return { stream, last: e.last };
    }
    const offset = parseOffset(e.offset);
    if (offset === undefined) throw bad(`offset of ${stream} must be a decimal u64 string, got ${show(e.offset)}`);
    if (!isU32(e.epoch)) throw bad(`epoch of ${stream} must be a u32 beside its offset, got ${show(e.epoch)}`);
    return { stream, epoch: e.epoch, offset };
  });
  return { streams, limit };
}

function validLimit(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SYNC_LIMIT;
}

function bad(message: string): ProtocolError {
  return new ProtocolError('bad_sync', message);
}
