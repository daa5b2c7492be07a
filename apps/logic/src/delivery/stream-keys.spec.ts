import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashTag, streamKey, streamKind } from './stream-keys';

/** The hash tag Redis Cluster would use: from the first `{` to the first `}` after it. */
function clusterTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('stream keys', () => {
  it('tells user streams from room streams and rejects other names', () => {
    assert.equal(streamKind('u:123'), 'user');
    assert.equal(streamKind('r:live://1000'), 'room');
    for (const bad of ['u:', 'u:0', 'u:12a', 'u:-1', 'r:', 'x:1', '', 'U:1']) assert.throws(() => streamKind(bad), RangeError, bad);
  });

  it('puts the meta, history and ack keys of a stream in one tag, whatever the room name holds', () => {
    for (const stream of ['u:7', 'r:live://1000', 'r:a}b', 'r:{x}', 'r:}{', 'r:%7D', 'r:a%b']) {
      const tags = (['m', 'x', 'a', 'd'] as const).map((s) => clusterTag(streamKey('p:', stream, s)));
      assert.equal(new Set(tags).size, 1, stream);
      assert.equal(tags[0], `s:${hashTag(stream)}`, stream);
      assert.doesNotMatch(tags[0], /[{}]/, stream);
    }
    assert.equal(streamKey('p:', 'u:7', 'm'), 'p:{s:u:7}:m');
  });

  it('escapes injectively: distinct names never share a key', () => {
    const names = ['r:a}b', 'r:a%7Db', 'r:a%257Db', 'r:a{b', 'r:a%7Bb', 'r:%', 'r:%25'];
    assert.equal(new Set(names.map((n) => streamKey('p:', n, 'x'))).size, names.length);
  });
});
