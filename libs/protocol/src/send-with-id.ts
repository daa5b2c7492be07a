import { readU32, writeU32 } from './big-endian';
import { ProtocolError } from './errors';
import { BUSINESS_OP_MIN, Op } from './ops';

/** The op-30 body (docs/delivery.md): an upstream message the client names, so a resend is written once. */
export interface SendWithId {
  /** 1-64 printable ASCII characters (0x21-0x7e), unique per sender for the idempotency TTL. */
  id: string;
  /** 4 (a plain op-4 upstream message) or a business operation (1000 … 2^31−1). */
  operation: number;
  /** On decode, a view into the body (no copy). */
  payload: Uint8Array;
}

export const MAX_SEND_ID_LEN = 64;
const ID = /^[\x21-\x7e]{1,64}$/;
const INT32_MAX = 0x7fffffff;

/** The op-30 body in a fresh buffer. */
export function encodeSendWithId(m: SendWithId): Uint8Array {
  const problem = problemOf(m.id, m.operation);
  if (problem !== undefined) throw new RangeError(problem);
  const n = m.id.length;
  const out = new Uint8Array(1 + n + 4 + m.payload.length);
  out[0] = n;
  for (let i = 0; i < n; i++) out[1 + i] = m.id.charCodeAt(i);
  writeU32(out, 1 + n, m.operation);
  out.set(m.payload, 1 + n + 4);
  return out;
}

/** Reads an op-30 body; the payload is a view into it. */
export function decodeSendWithId(body: Uint8Array): SendWithId {
  if (body.length < 1) throw new ProtocolError('bad_send_with_id', 'a send-with-id body is empty');
  const n = body[0];
  if (1 + n + 4 > body.length) {
    throw new ProtocolError('bad_send_with_id', `idLen ${n} leaves no room for the 4-byte operation in ${body.length} bytes`);
  }
  let id = '';
  for (let i = 1; i <= n; i++) id += String.fromCharCode(body[i]);
  const operation = readU32(body, 1 + n);
  const problem = problemOf(id, operation);
  if (problem !== undefined) throw new ProtocolError('bad_send_with_id', problem);
  return { id, operation, payload: body.subarray(1 + n + 4) };
}

function problemOf(id: string, operation: number): string | undefined {
  if (!ID.test(id)) return `id ${JSON.stringify(id.slice(0, 80))} is not 1-${MAX_SEND_ID_LEN} printable ASCII characters`;
  if (operation !== Op.SendMsg && !(Number.isInteger(operation) && operation >= BUSINESS_OP_MIN && operation <= INT32_MAX)) {
    return `operation ${operation} is neither ${Op.SendMsg} nor a business operation (${BUSINESS_OP_MIN} … ${INT32_MAX})`;
  }
  return undefined;
}
