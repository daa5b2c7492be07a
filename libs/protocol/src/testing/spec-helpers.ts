// Shared by the protocol specs only (kept out of the browser-safe modules beside index.ts).
import assert from 'node:assert/strict';
import { ProtocolError, type ProtocolErrorCode } from '../errors';

/** Bytes from hex written by hand, spaces ignored. */
export function hex(s: string): Uint8Array {
  const digits = s.replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function throwsCode(fn: () => unknown, code: ProtocolErrorCode): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProtocolError, `expected a ProtocolError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}
