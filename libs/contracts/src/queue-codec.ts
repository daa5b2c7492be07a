import * as protobuf from 'protobufjs';
import type { PushMsg, PushMsg__Output } from './generated/imgate/queue/PushMsg';
import type { UpstreamMsg, UpstreamMsg__Output } from './generated/imgate/queue/UpstreamMsg';
import { protoFile } from './loader';

// Same conversion options as the gRPC loader, so queue records and RPC messages look alike in code.
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: Buffer, defaults: true, arrays: true };

let root: protobuf.Root | undefined;
function type(name: 'PushMsg' | 'UpstreamMsg'): protobuf.Type {
  root ??= protobuf.loadSync(protoFile('queue'));
  return root.lookupType(`imgate.queue.${name}`);
}

/** Thrown when a queue record is not a valid protobuf message of the expected type. */
export class QueueDecodeError extends Error {}

/** verify() wants enum numbers; our objects carry enum names (as the gRPC loader does). */
function withEnumNumbers(t: protobuf.Type, msg: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...msg };
  for (const field of t.fieldsArray) {
    const v = out[field.name];
    const enumType = field.resolve().resolvedType;
    if (enumType instanceof protobuf.Enum && typeof v === 'string') {
      const n = enumType.values[v];
      if (n === undefined) throw new QueueDecodeError(`invalid ${t.name}: ${field.name} has no value ${v}`);
      out[field.name] = n;
    }
  }
  return out;
}

function encodeWith(name: 'PushMsg' | 'UpstreamMsg', msg: object): Uint8Array {
  const t = type(name);
  const invalid = t.verify(withEnumNumbers(t, msg));
  if (invalid) throw new QueueDecodeError(`invalid ${name}: ${invalid}`);
  return t.encode(t.fromObject(msg)).finish();
}

function decodeWith<T>(name: 'PushMsg' | 'UpstreamMsg', bytes: Uint8Array): T {
  const t = type(name);
  try {
    return t.toObject(t.decode(bytes), TO_OBJECT) as T;
  } catch (err) {
    throw new QueueDecodeError(`undecodable ${name}: ${(err as Error).message}`);
  }
}

export const encodePushMsg = (msg: PushMsg): Uint8Array => encodeWith('PushMsg', msg);
export const decodePushMsg = (bytes: Uint8Array): PushMsg__Output => decodeWith('PushMsg', bytes);
export const encodeUpstreamMsg = (msg: UpstreamMsg): Uint8Array => encodeWith('UpstreamMsg', msg);
export const decodeUpstreamMsg = (bytes: Uint8Array): UpstreamMsg__Output => decodeWith('UpstreamMsg', bytes);
