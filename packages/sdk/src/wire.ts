import type { Packet, StreamMessage } from '@imgate/protocol';
import type { ImgateMessage } from './events.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A body as bytes: bytes as they are, text as UTF-8, anything else as JSON. */
export function bytesOf(body: Uint8Array | string | object): Uint8Array {
  if (body instanceof Uint8Array) return body;
  return encoder.encode(typeof body === 'string' ? body : JSON.stringify(body));
}

export function textOf(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** The int32 (big-endian) at the front of an op-3 body, as goim writes the room's online count. */
export function int32At(body: Uint8Array): number | undefined {
  if (body.length < 4) return undefined;
  return (body[0] << 24) | (body[1] << 16) | (body[2] << 8) | body[3];
}

/** A pushed packet for the application; the body is copied, as the packet's is a view into a socket buffer. */
export function message(p: Pick<Packet, 'op' | 'seq' | 'body'>): ImgateMessage {
  const body = p.body.slice();
  return {
    op: p.op,
    seq: p.seq,
    body,
    text: () => decoder.decode(body),
    json: <T>() => JSON.parse(decoder.decode(body)) as T,
  };
}

/** An op-27 message for the application: the business operation, a copy of the payload, and where it sits in its stream. */
export function streamMessage(m: StreamMessage, seq: number): ImgateMessage {
  return { ...message({ op: m.operation, seq, body: m.payload }), id: m.id.toString(), stream: m.stream, offset: m.offset.toString() };
}
