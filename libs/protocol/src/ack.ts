import { ProtocolError } from './errors';
import { jsonBytes, jsonObjectOf, MAX_BODY_STREAMS, show } from './json-body';
import { isU64, parseOffset } from './offset';
import { isStreamName } from './stream-name';

/**
 * The op-18 body (docs/delivery.md): per stream, the offset up to which the client holds every
 * message (cumulative), as `{"u:123": "17", "r:live://1000": "40"}`.
 */
export type AckPositions = ReadonlyMap<string, bigint>;

/** The op-18 body for these positions (1-64 streams is what a server accepts; 0 is allowed and says nothing). */
export function encodeAck(positions: AckPositions): Uint8Array {
  if (positions.size > MAX_BODY_STREAMS) throw new RangeError(`an ack names at most ${MAX_BODY_STREAMS} streams, got ${positions.size}`);
  const out: Record<string, string> = {};
  for (const [stream, offset] of positions) {
    if (!isStreamName(stream)) throw new RangeError(`${show(stream)} is not a stream name`);
    if (!isU64(offset)) throw new RangeError(`offset ${offset} of ${stream} is not a u64`);
    out[stream] = offset.toString();
  }
  return jsonBytes(out);
}

/** Reads an op-18 body: stream name → acked offset, in the body's order. */
export function parseAck(body: Uint8Array): Map<string, bigint> {
  const o = jsonObjectOf(body, 'bad_ack', 'ack body');
  const entries = Object.entries(o);
  if (entries.length > MAX_BODY_STREAMS) throw new ProtocolError('bad_ack', `an ack names at most ${MAX_BODY_STREAMS} streams, got ${entries.length}`);
  const out = new Map<string, bigint>();
  for (const [stream, value] of entries) {
    if (!isStreamName(stream)) throw new ProtocolError('bad_ack', `${show(stream)} is not a stream name (u:<mid> or r:<room>)`);
    const offset = parseOffset(value);
    if (offset === undefined) throw new ProtocolError('bad_ack', `offset of ${stream} must be a decimal u64 string, got ${show(value)}`);
    out.set(stream, offset);
  }
  return out;
}
