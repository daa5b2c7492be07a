import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isStreamName, parseStream, roomStream, userStream } from './index';
import { roomIdArb } from './testing/delivery-arbitraries';

describe('stream names', () => {
  it('names users u:<mid> and rooms r:<room id>', () => {
    assert.equal(userStream(123), 'u:123');
    assert.equal(roomStream('live://1000'), 'r:live://1000');
    assert.deepEqual(parseStream('u:123'), { kind: 'user', mid: 123 });
    assert.deepEqual(parseStream('r:live://1000'), { kind: 'room', room: 'live://1000' });
    assert.deepEqual(parseStream(`u:${Number.MAX_SAFE_INTEGER}`), { kind: 'user', mid: Number.MAX_SAFE_INTEGER });
    assert.deepEqual(parseStream(`r:${'x'.repeat(128)}`), { kind: 'room', room: 'x'.repeat(128) });
  });

  it('refuses what is not a stream name', () => {
    const bad = ['', 'u:', 'u:0', 'u:-1', 'u:012', 'u:1.5', 'u:1e3', 'u: 1', `u:${Number.MAX_SAFE_INTEGER + 1}`, 'u:99999999999999999',
      'r:', 'r:a b', 'r:é', 'r:\n', `r:${'x'.repeat(129)}`, 'x:1', 'U:1', ':1', 'u1', 'room'];
    for (const name of bad) {
      assert.equal(parseStream(name), undefined, name);
      assert.equal(isStreamName(name), false, name);
    }
    assert.equal(isStreamName(12), false);
    assert.equal(isStreamName(undefined), false);
  });

  it('refuses to build a name from a bad mid or room', () => {
    for (const mid of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) assert.throws(() => userStream(mid), RangeError, String(mid));
    for (const room of ['', 'a b', 'x'.repeat(129), 'caf\u00e9']) assert.throws(() => roomStream(room), RangeError, room);
  });

  it('parses back what it builds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), roomIdArb, (mid, room) => {
        assert.deepEqual(parseStream(userStream(mid)), { kind: 'user', mid });
        assert.deepEqual(parseStream(roomStream(room)), { kind: 'room', room });
      }),
      { numRuns: 300 },
    );
  });
});
