import { ProtocolError, type ProtocolErrorCode } from './errors';

/** Most streams one op-18, op-28 or op-29 body names. */
export const MAX_BODY_STREAMS = 64;
/** Largest op-18/28/29 JSON body: 64 streams with the longest (escaped) room ids fit. */
export const MAX_JSON_BODY_LEN = 32 * 1024;

// Fatal: a body that is not UTF-8 is malformed, not silently repaired.
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** The body as a JSON object; anything else (bad UTF-8, bad JSON, an array, too long) throws `code`. */
export function jsonObjectOf(body: Uint8Array, code: ProtocolErrorCode, what: string): Record<string, unknown> {
  if (body.length > MAX_JSON_BODY_LEN) throw new ProtocolError(code, `${what} is ${body.length} bytes, limit ${MAX_JSON_BODY_LEN}`);
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(body));
  } catch {
    throw new ProtocolError(code, `${what} is not UTF-8 JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError(code, `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

export function jsonBytes(v: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(v));
}

/** A value for an error message: short, never the whole input. */
export function show(v: unknown): string {
  const s = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
