// The few bytes every bench process agrees on: goim packets, client WebSocket frames, and the
// fixed-size message body that carries its sequence number and send time.

export const HEADER_LEN = 16;
export const OP_HEARTBEAT = 2;
export const OP_HEARTBEAT_REPLY = 3;
export const OP_DISCONNECT = 6;
export const OP_AUTH = 7;
export const OP_AUTH_REPLY = 8;
export const OP_BENCH = 1000;
/** Reliable delivery's message (docs/delivery.md): stream, epoch, offset, id, operation, payload. */
export const OP_MESSAGE = 27;
/** Op 27's fixed fields besides the stream name: streamLen u8, epoch u32, offset u64, id u64, operation u32. */
const STREAM_FIXED = 1 + 4 + 8 + 8 + 4;

/** Bytes of one packet carrying a `bodySize` message: goim's op 1000, or op 27 in `stream` for an opted-in client. */
export function benchPacketLen(bodySize: number, stream?: string): number {
  return HEADER_LEN + bodySize + (stream === undefined ? 0 : STREAM_FIXED + Buffer.byteLength(stream));
}

/** An op-27 body's business operation and payload, or undefined when it is too short. */
export function streamPayload(body: Buffer): { operation: number; payload: Buffer } | undefined {
  if (body.length < STREAM_FIXED) return undefined;
  const at = 1 + body[0] + 4 + 8 + 8;
  if (body.length < at + 4) return undefined;
  return { operation: body.readUInt32BE(at), payload: body.subarray(at + 4) };
}

/** A goim packet with the 16-byte header (no checksum). */
export function packet(op: number, body: Uint8Array, seq = 0): Buffer {
  const out = Buffer.allocUnsafe(HEADER_LEN + body.length);
  out.writeUInt32BE(out.length, 0);
  out.writeUInt16BE(HEADER_LEN, 4);
  out.writeUInt16BE(1, 6);
  out.writeUInt32BE(op, 8);
  out.writeUInt32BE(seq, 12);
  out.set(body, HEADER_LEN);
  return out;
}

/** Visits the packets of a WebSocket message (several back to back in a batch). */
export function eachPacket(msg: Buffer, fn: (op: number, body: Buffer) => void): void {
  for (let off = 0; off + HEADER_LEN <= msg.length; ) {
    const len = msg.readUInt32BE(off);
    const head = msg.readUInt16BE(off + 4);
    if (len < head || off + len > msg.length) return;
    fn(msg.readUInt32BE(off + 8), msg.subarray(off + head, off + len));
    off += len;
  }
}

/** A client-to-server frame (FIN set, masked with a zero key, so the payload goes as it is). */
export function clientFrame(opcode: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const head = n < 126 ? 6 : n < 65_536 ? 8 : 14;
  const out = Buffer.alloc(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65_536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  out.set(payload, head);
  return out;
}

/** `seq:sentAtMs:` padded with dots to `size` ASCII bytes. */
export function messageBody(seq: number, sentAtMs: number, size: number): string {
  const head = `${seq}:${sentAtMs.toFixed(3)}:`;
  if (head.length > size) throw new Error(`message size ${size} is too small for ${head}`);
  return head + '.'.repeat(size - head.length);
}

export function parseBody(text: string): { seq: number; sentAt: number } | undefined {
  const a = text.indexOf(':');
  const b = text.indexOf(':', a + 1);
  if (a <= 0 || b <= a) return undefined;
  const seq = Number(text.slice(0, a));
  const sentAt = Number(text.slice(a + 1, b));
  return Number.isInteger(seq) && Number.isFinite(sentAt) ? { seq, sentAt } : undefined;
}

/** Socket.IO's text frame for `emit('m', body)`: `42["m","…"]`. */
export function sioFrameLength(bodySize: number): number {
  return '42["m",""]'.length + bodySize;
}
