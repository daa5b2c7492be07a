import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { protoDir } from './proto';

/** A client's message (op 4, a business op, or op 30 with its own id) from the upstream topic. */
export interface UpstreamMessage {
  /** The sender's user id (0 when anonymous). */
  mid: number;
  /** The sender's connection key: push back to it with pushKeys. */
  key: string;
  /** Comet that holds the connection. */
  server: string;
  /** The connection's main room when it sent ('' for none). */
  roomId: string;
  /** 4 (op 4 / op 30 without an operation) or the business operation (1000 and up). */
  operation: number;
  seq: number;
  body: Buffer;
  receivedAtMs: number;
  /** The client's own message id (op 30), '' for op 4. */
  clientMsgId: string;
}

let upstreamType: protobuf.Type | undefined;

/** Decodes a record value of the upstream topic (proto/queue.proto `UpstreamMsg`). Throws on bytes that are not one. */
export function decodeUpstream(value: Uint8Array): UpstreamMessage {
  upstreamType ??= protobuf.loadSync(join(protoDir(), 'queue.proto')).lookupType('imgate.queue.UpstreamMsg');
  const t = upstreamType;
  return t.toObject(t.decode(value), { longs: Number, bytes: Buffer, defaults: true }) as UpstreamMessage;
}

/** The body as UTF-8 text. */
export function upstreamText(m: UpstreamMessage): string {
  return m.body.toString('utf8');
}
