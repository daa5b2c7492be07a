import { readU32, writeU32 } from './big-endian';
import { sealChecksum, writeHeader } from './codec';
import { ProtocolError } from './errors';
import { isU32, isU64 } from './offset';
import { Op } from './ops';
import { HEADER_LEN, HEADER_LEN_CHECKSUM, VERSION } from './packet';
import { parseStream } from './stream-name';

/** The op-27 body (docs/delivery.md): one message of a stream, or a best-effort push. */
export interface StreamMessage {
  /** The stream name; '' for a best-effort push (by key or to all), which has epoch 0 and offset 0. */
  stream: string;
  /** u32, non-zero for a stream. */
  epoch: number;
  /** u64, from 1 for a stream. */
  offset: bigint;
  /** u64 message id (snowflake). */
  id: bigint;
  /** u32 business operation. */
  operation: number;
  /** On decode, a view into the body (no copy). */
  payload: Uint8Array;
}

export interface StreamMessagePacketOptions {
  /** 20-byte headers with a checksum (the connection authenticated with one). Default false. */
  checksum?: boolean;
  /** Default 0, as for every push. */
  seq?: number;
}

// Field offsets after the stream name.
const EPOCH = 0;
const OFFSET = 4;
const ID = 12;
const OPERATION = 20;
const PAYLOAD = 24;
/** streamLen u8, epoch u32, offset u64, id u64, operation u32: the body without stream and payload. */
export const STREAM_MESSAGE_FIXED_LEN = 1 + PAYLOAD;

/** Bytes of the op-27 body for this message (stream names are ASCII, so one byte a character). */
export function streamMessageLength(m: Pick<StreamMessage, 'stream' | 'payload'>): number {
  return STREAM_MESSAGE_FIXED_LEN + m.stream.length + m.payload.length;
}

/** The op-27 body in a fresh buffer. */
export function encodeStreamMessage(m: StreamMessage): Uint8Array {
  const out = new Uint8Array(streamMessageLength(m));
  encodeStreamMessageInto(out, 0, m);
  return out;
}

/** Writes the op-27 body at target[offset]; returns the bytes written. */
export function encodeStreamMessageInto(target: Uint8Array, offset: number, m: StreamMessage): number {
  check(m);
  const len = streamMessageLength(m);
  if (offset < 0 || offset + len > target.length) {
    throw new RangeError(`a stream message of ${len} bytes does not fit at offset ${offset} of ${target.length}`);
  }
  const n = m.stream.length;
  target[offset] = n;
  for (let i = 0; i < n; i++) target[offset + 1 + i] = m.stream.charCodeAt(i);
  const o = offset + 1 + n;
  writeU32(target, o + EPOCH, m.epoch);
  writeU64(target, o + OFFSET, m.offset);
  writeU64(target, o + ID, m.id);
  writeU32(target, o + OPERATION, m.operation);
  target.set(m.payload, o + PAYLOAD);
  return len;
}

/**
 * Whole op-27 packets back to back in one buffer, as a batch goes on the wire (no op-9 wrapper):
 * a room batch is encoded once per header form and written to every member.
 */
export function encodeStreamMessagePackets(messages: readonly StreamMessage[], opts: StreamMessagePacketOptions = {}): Uint8Array {
  const checksum = opts.checksum ?? false;
  const headerLen = checksum ? HEADER_LEN_CHECKSUM : HEADER_LEN;
  let total = 0;
  for (const m of messages) total += headerLen + streamMessageLength(m);
  const out = new Uint8Array(total);
  let o = 0;
  for (const m of messages) {
    const packLen = headerLen + streamMessageLength(m);
    writeHeader(out, o, packLen, headerLen, VERSION, Op.Message, opts.seq ?? 0);
    encodeStreamMessageInto(out, o + headerLen, m);
    if (checksum) sealChecksum(out, o, packLen);
    o += packLen;
  }
  return out;
}

/** Reads an op-27 body; the payload is a view into it. */
export function decodeStreamMessage(body: Uint8Array): StreamMessage {
  if (body.length < STREAM_MESSAGE_FIXED_LEN) {
    throw new ProtocolError('bad_stream_message', `a stream message is at least ${STREAM_MESSAGE_FIXED_LEN} bytes, got ${body.length}`);
  }
  const n = body[0];
  if (STREAM_MESSAGE_FIXED_LEN + n > body.length) {
    throw new ProtocolError('bad_stream_message', `streamLen ${n} leaves less than the ${STREAM_MESSAGE_FIXED_LEN - 1} fixed bytes in ${body.length}`);
  }
  let stream = '';
  for (let i = 1; i <= n; i++) stream += String.fromCharCode(body[i]);
  const o = 1 + n;
  const m: StreamMessage = {
    stream,
    epoch: readU32(body, o + EPOCH),
    offset: readU64(body, o + OFFSET),
    id: readU64(body, o + ID),
    operation: readU32(body, o + OPERATION),
    payload: body.subarray(o + PAYLOAD),
  };
  const problem = problemOf(m);
  if (problem !== undefined) throw new ProtocolError('bad_stream_message', problem);
  return m;
}

function check(m: StreamMessage): void {
  const problem = problemOf(m);
  if (problem !== undefined) throw new RangeError(problem);
  if (!isU64(m.id)) throw new RangeError(`id ${m.id} is not a u64`);
  if (!isU32(m.operation)) throw new RangeError(`operation ${m.operation} is not a u32`);
}

/** What is wrong with the stream, epoch and offset of a message, if anything. */
function problemOf(m: StreamMessage): string | undefined {
  if (m.stream === '') {
    return m.epoch === 0 && m.offset === 0n ? undefined : `a best-effort message has epoch 0 and offset 0, got ${m.epoch} and ${m.offset}`;
  }
  if (parseStream(m.stream) === undefined) return `stream ${JSON.stringify(m.stream.slice(0, 80))} is not u:<mid> or r:<room>`;
  if (!isU32(m.epoch) || m.epoch === 0) return `epoch ${m.epoch} of ${m.stream} is not a non-zero u32`;
  if (m.offset < 1n || !isU64(m.offset)) return `offset ${m.offset} of ${m.stream} is not a u64 from 1`;
  return undefined;
}

function writeU64(b: Uint8Array, o: number, v: bigint): void {
  writeU32(b, o, Number(v >> 32n));
  writeU32(b, o + 4, Number(v & 0xffffffffn));
}

function readU64(b: Uint8Array, o: number): bigint {
  return (BigInt(readU32(b, o)) << 32n) | BigInt(readU32(b, o + 4));
}
