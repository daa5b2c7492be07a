import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeSyncReply, MAX_BODY_STREAMS, parseSyncReply, ProtocolError, type SyncReplyStream } from './index';
import { streamArb, u32Arb, u64Arb } from './testing/delivery-arbitraries';
import { throwsCode } from './testing/spec-helpers';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('op 29 sync reply', () => {
  it('every status, both ways', () => {
    const body = utf8(
      '{"streams":[' +
        '{"stream":"u:123","epoch":123456,"head":"17","status":"ok"},' +
        '{"stream":"r:live://1000","epoch":7,"head":"900","status":"more","next":"501"},' +
        '{"stream":"r:old","epoch":9,"head":"18446744073709551615","status":"lost"},' +
        '{"stream":"r:other","status":"denied"}]}',
    );
    const reply = {
      streams: [
        { stream: 'u:123', status: 'ok', epoch: 123456, head: 17n },
        { stream: 'r:live://1000', status: 'more', epoch: 7, head: 900n, next: 501n },
        { stream: 'r:old', status: 'lost', epoch: 9, head: 2n ** 64n - 1n },
        { stream: 'r:other', status: 'denied' },
      ] satisfies SyncReplyStream[],
    };
    assert.deepEqual(encodeSyncReply(reply), body);
    assert.deepEqual(parseSyncReply(body), reply);
  });

  it('ignores next where it means nothing, and epoch and head on denied', () => {
    assert.deepEqual(parseSyncReply(utf8('{"streams":[{"stream":"u:1","epoch":1,"head":"5","status":"ok","next":"6"},{"stream":"u:2","epoch":1,"head":"5","status":"denied"}]}')), {
      streams: [
        { stream: 'u:1', status: 'ok', epoch: 1, head: 5n },
        { stream: 'u:2', status: 'denied' },
      ],
    });
    assert.deepEqual(parseSyncReply(utf8('{"streams":[]}')), { streams: [] });
  });

  describe('rejects with bad_sync_reply', () => {
    const s = (entries: string) => `{"streams":[${entries}]}`;
    const cases: Array<[string, string]> = [
      ['not JSON', '{'],
      ['no streams', '{}'],
      [`more than ${MAX_BODY_STREAMS} streams`, s(Array.from({ length: MAX_BODY_STREAMS + 1 }, (_, i) => `{"stream":"u:${i + 1}","status":"denied"}`).join(','))],
      ['an entry that is not an object', s('null')],
      ['a bad stream name', s('{"stream":"r:","status":"denied"}')],
      ['a stream twice', s('{"stream":"u:1","status":"denied"},{"stream":"u:1","status":"denied"}')],
      ['an unknown status', s('{"stream":"u:1","epoch":1,"head":"1","status":"fine"}')],
      ['no status', s('{"stream":"u:1","epoch":1,"head":"1"}')],
      ['no epoch', s('{"stream":"u:1","head":"1","status":"ok"}')],
      ['no head', s('{"stream":"u:1","epoch":1,"status":"lost"}')],
      ['a number head', s('{"stream":"u:1","epoch":1,"head":1,"status":"ok"}')],
      ['more without next', s('{"stream":"u:1","epoch":1,"head":"9","status":"more"}')],
      ['more with next 0', s('{"stream":"u:1","epoch":1,"head":"9","status":"more","next":"0"}')],
      ['more with next past head', s('{"stream":"u:1","epoch":1,"head":"9","status":"more","next":"10"}')],
    ];
    for (const [name, body] of cases) it(name, () => throwsCode(() => parseSyncReply(utf8(body)), 'bad_sync_reply'));
  });

  it('refuses to encode a bad entry', () => {
    assert.throws(() => encodeSyncReply({ streams: [{ stream: 'u:1', status: 'more', epoch: 1, head: 5n, next: 6n }] }), RangeError);
    assert.throws(() => encodeSyncReply({ streams: [{ stream: 'u:1', status: 'ok', epoch: 1, head: -1n }] }), RangeError);
    assert.throws(() => encodeSyncReply({ streams: [{ stream: 'bad', status: 'denied' }] }), RangeError);
  });

  it('round-trips any valid reply; random JSON throws only ProtocolError', () => {
    const entry = fc.oneof(
      fc.record({ stream: streamArb, status: fc.constantFrom('ok' as const, 'lost' as const), epoch: u32Arb, head: u64Arb }),
      fc.record({ stream: streamArb, status: fc.constant('more' as const), epoch: u32Arb, head: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }) }).chain((e) =>
        fc.bigInt({ min: 1n, max: e.head }).map((next) => ({ ...e, next })),
      ),
      fc.record({ stream: streamArb, status: fc.constant('denied' as const) }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(entry, { maxLength: MAX_BODY_STREAMS, selector: (e) => e.stream }), (streams) => {
        assert.deepEqual(parseSyncReply(encodeSyncReply({ streams })), { streams: streams.map((e) => ({ ...e })) });
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          parseSyncReply(utf8(JSON.stringify({ streams: v })));
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});
