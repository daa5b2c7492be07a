import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeAck, MAX_BODY_STREAMS, parseAck, ProtocolError } from './index';
import { streamArb, u64Arb } from './testing/delivery-arbitraries';
import { throwsCode } from './testing/spec-helpers';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('op 18 ack', () => {
  it('the body of docs/delivery.md, both ways', () => {
    const body = utf8('{"u:123":"17","r:live://1000":"40"}');
    const acks = new Map([
      ['u:123', 17n],
      ['r:live://1000', 40n],
    ]);
    assert.deepEqual(encodeAck(acks), body);
    assert.deepEqual(parseAck(body), acks);
  });

  it('carries offsets past 2^53 exactly, and accepts an empty ack', () => {
    assert.deepEqual(parseAck(utf8('{"u:1":"18446744073709551615","u:2":"0"}')), new Map([['u:1', 2n ** 64n - 1n], ['u:2', 0n]]));
    assert.deepEqual(parseAck(utf8(' {} ')), new Map());
    assert.deepEqual(encodeAck(new Map()), utf8('{}'));
  });

  describe('rejects with bad_ack', () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: MAX_BODY_STREAMS + 1 }, (_, i) => [`u:${i + 1}`, '1'])));
    const cases: Array<[string, string | Uint8Array]> = [
      ['not JSON', '{"u:1":"1"'],
      ['not UTF-8', Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x22, 0x31, 0x22, 0x7d)],
      ['an array', '[["u:1","1"]]'],
      ['a string', '"u:1"'],
      ['null', 'null'],
      ['a bad stream name', '{"x:1":"1"}'],
      ['a room name with a space', '{"r:a b":"1"}'],
      ['a number offset', '{"u:1":17}'],
      ['a negative offset', '{"u:1":"-1"}'],
      ['a leading zero', '{"u:1":"017"}'],
      ['a fraction', '{"u:1":"1.5"}'],
      ['an exponent', '{"u:1":"1e3"}'],
      ['an offset past u64', '{"u:1":"18446744073709551616"}'],
      ['an empty offset', '{"u:1":""}'],
      [`more than ${MAX_BODY_STREAMS} streams`, many],
      ['a body over the size limit', `{"u:1":"1",${' '.repeat(40_000)}"u:2":"2"}`],
    ];
    for (const [name, body] of cases) it(name, () => throwsCode(() => parseAck(typeof body === 'string' ? utf8(body) : body), 'bad_ack'));
  });

  it('says which stream is wrong and why', () => {
    assert.throws(() => parseAck(utf8('{"u:1":"1","u:2":7}')), { name: 'ProtocolError', message: 'offset of u:2 must be a decimal u64 string, got 7' });
  });

  it('refuses to encode what a server would refuse', () => {
    assert.throws(() => encodeAck(new Map([['nope', 1n]])), RangeError);
    assert.throws(() => encodeAck(new Map([['u:1', -1n]])), RangeError);
    assert.throws(() => encodeAck(new Map(Array.from({ length: 65 }, (_, i) => [`u:${i + 1}`, 1n] as const))), RangeError);
  });

  it('round-trips any valid ack; random JSON throws only ProtocolError', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(streamArb, u64Arb), { maxLength: MAX_BODY_STREAMS, selector: ([s]) => s }), (entries) => {
        const acks = new Map(entries);
        assert.deepEqual(parseAck(encodeAck(acks)), acks);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          parseAck(utf8(JSON.stringify(v)));
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});
