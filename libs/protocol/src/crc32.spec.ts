import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { crc32, crc32Update } from './crc32';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the standard check value: "123456789" -> 0xCBF43926', () => {
    assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  });

  it('is 0 for no bytes', () => {
    assert.equal(crc32(new Uint8Array(0)), 0);
    assert.equal(crc32(ascii('abc'), 2, 2), 0);
  });

  it('matches known vectors that run the 8-byte loop and its tail', () => {
    assert.equal(crc32(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339);
    const pattern = new Uint8Array(1000);
    for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 31 + 7) & 0xff;
    assert.equal(crc32(pattern), 0x8902161e); // from zlib.crc32 at authoring time
  });

  it('agrees with zlib on random bytes and ranges, and is unsigned', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (data, a, b) => {
        const start = data.length === 0 ? 0 : a % (data.length + 1);
        const end = start + (b % (data.length - start + 1));
        const got = crc32(data, start, end);
        assert.equal(got, zlibCrc32(data.subarray(start, end)));
        assert.ok(got >= 0 && got <= 0xffffffff);
      }),
      { numRuns: 300 },
    );
  });

  it('continues across pieces as zlib does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        const whole = new Uint8Array(a.length + b.length);
        whole.set(a);
        whole.set(b, a.length);
        assert.equal(crc32Update(crc32(a), b), crc32(whole));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a range outside the data', () => {
    assert.throws(() => crc32(new Uint8Array(4), 0, 5), RangeError);
    assert.throws(() => crc32(new Uint8Array(4), 3, 2), RangeError);
    assert.throws(() => crc32(new Uint8Array(4), -1, 2), RangeError);
  });
});
