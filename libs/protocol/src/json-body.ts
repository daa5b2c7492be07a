import { ProtocolError, type ProtocolErrorCode } from './errors';
import { isStreamName } from './stream-name';

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

/**
 * Walks the `streams` array of an op-28/29 body: each entry must be an object naming a stream
 * once; `read` turns it into the caller's value. Rejections go through `bad`, naming the entry.
 */
export function mapStreamEntries<T>(entries: unknown[], bad: (message: string) => ProtocolError, read: (stream: string, e: Record<string, unknown>) => T): T[] {
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(`streams[${i}] must be an object`);
    const e = entry as Record<string, unknown>;
    const stream = e.stream;
    if (!isStreamName(stream)) throw bad(`streams[${i}].stream ${show(stream)} is not u:<mid> or r:<room>`);
    if (seen.has(stream)) throw bad(`${stream} appears twice`);
    seen.add(stream);
    return read(stream, e);
  });
}
