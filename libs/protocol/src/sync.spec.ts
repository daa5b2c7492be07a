import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeSync, MAX_BODY_STREAMS, MAX_SYNC_LIMIT, parseSync, ProtocolError, type SyncPosition } from './index';
import { streamArb, u32Arb, u64Arb } from './testing/delivery-arbitraries';
import { throwsCode } from './testing/spec-helpers';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('op 28 sync', () => {
  it('the body of docs/delivery.md, both ways', () => {
    const body = utf8('{"streams":[{"stream":"u:123","epoch":123456,"offset":"17"},{"stream":"r:live://1000","last":20}],"limit":500}');
    const req = {
      streams: [
        { stream: 'u:123', epoch: 123456, offset: 17n },
        { stream: 'r:live://1000', last: 20 },
      ],
      limit: 500,
    };
    assert.deepEqual(encodeSync(req), body);
    assert.deepEqual(parseSync(body), req);
  });

  it('defaults limit to the maximum, and leaves it out when not given', () => {
    const body = utf8('{"streams":[{"stream":"u:1","epoch":0,"offset":"0"}]}');
    assert.deepEqual(parseSync(body), { streams: [{ stream: 'u:1', epoch: 0, offset: 0n }], limit: MAX_SYNC_LIMIT });
    assert.deepEqual(encodeSync({ streams: [{ stream: 'u:1', epoch: 0, offset: 0n }] }), body);
    assert.equal(parseSync(utf8('{"streams":[{"stream":"u:1","last":1}],"limit":null}')).limit, MAX_SYNC_LIMIT);
    assert.equal(parseSync(utf8('{"streams":[{"stream":"u:1","last":1}],"limit":1}')).limit, 1);
  });

  describe('rejects with bad_sync', () => {
    const s = (entries: string, extra = '') => `{"streams":[${entries}]${extra}}`;
    const pos = (stream: string) => `{"stream":"${stream}","epoch":1,"offset":"1"}`;
    const cases: Array<[string, string]> = [
      ['not JSON', '{"streams":'],
      ['an array', '[]'],
      ['no streams', '{}'],
      ['streams not an array', '{"streams":{}}'],
      ['empty streams', s('')],
      [`more than ${MAX_BODY_STREAMS} streams`, s(Array.from({ length: MAX_BODY_STREAMS + 1 }, (_, i) => pos(`u:${i + 1}`)).join(','))],
      ['a stream that is not an object', s('"u:1"')],
      ['a bad stream name', s(pos('u:0'))],
      ['a missing stream name', s('{"epoch":1,"offset":"1"}')],
      ['a stream twice', s(`${pos('u:1')},${pos('u:1')}`)],
      ['neither offset nor last', s('{"stream":"u:1","epoch":1}')],
      ['both offset and last', s('{"stream":"u:1","epoch":1,"offset":"1","last":5}')],
      ['a number offset', s('{"stream":"u:1","epoch":1,"offset":1}')],
      ['an offset past u64', s('{"stream":"u:1","epoch":1,"offset":"18446744073709551616"}')],
      ['an offset without epoch', s('{"stream":"u:1","offset":"1"}')],
      ['a negative epoch', s('{"stream":"u:1","epoch":-1,"offset":"1"}')],
      ['an epoch past u32', s('{"stream":"u:1","epoch":4294967296,"offset":"1"}')],
      ['a string epoch', s('{"stream":"u:1","epoch":"1","offset":"1"}')],
      ['last 0', s('{"stream":"u:1","last":0}')],
      ['last 501', s('{"stream":"u:1","last":501}')],
      ['last 1.5', s('{"stream":"u:1","last":1.5}')],
      ['limit 0', s(pos('u:1'), ',"limit":0')],
      ['limit 501', s(pos('u:1'), ',"limit":501')],
      ['a string limit', s(pos('u:1'), ',"limit":"5"')],
    ];
    for (const [name, body] of cases) it(name, () => throwsCode(() => parseSync(utf8(body)), 'bad_sync'));
  });

  it('says which stream is wrong and why', () => {
    assert.throws(() => parseSync(utf8('{"streams":[{"stream":"u:1","last":1},{"stream":"r:x","last":900}]}')), {
      name: 'ProtocolError',
      message: 'last of r:x must be an integer 1-500, got 900',
    });
  });

  it('refuses to encode what a server would refuse', () => {
    const ok: SyncPosition = { stream: 'u:1', epoch: 1, offset: 1n };
    assert.throws(() => encodeSync({ streams: [] }), RangeError);
    assert.throws(() => encodeSync({ streams: Array.from({ length: 65 }, (_, i) => ({ ...ok, stream: `u:${i + 1}` })) }), RangeError);
    assert.throws(() => encodeSync({ streams: [ok], limit: 0 }), RangeError);
    assert.throws(() => encodeSync({ streams: [{ ...ok, stream: 'x' }] }), RangeError);
    assert.throws(() => encodeSync({ streams: [{ ...ok, epoch: -1 }] }), RangeError);
    assert.throws(() => encodeSync({ streams: [{ ...ok, offset: -1n }] }), RangeError);
    assert.throws(() => encodeSync({ streams: [{ stream: 'u:1', last: 501 }] }), RangeError);
  });

  it('round-trips any valid request; random JSON throws only ProtocolError', () => {
    const position = fc.oneof(
      fc.record({ stream: streamArb, epoch: u32Arb, offset: u64Arb }),
      fc.record({ stream: streamArb, last: fc.integer({ min: 1, max: MAX_SYNC_LIMIT }) }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(position, { minLength: 1, maxLength: MAX_BODY_STREAMS, selector: (p) => p.stream }), fc.integer({ min: 1, max: MAX_SYNC_LIMIT }), (streams, limit) => {
        assert.deepEqual(parseSync(encodeSync({ streams, limit })), { streams: streams.map((p) => ({ ...p })), limit });
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          parseSync(utf8(JSON.stringify({ streams: v })));
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});
