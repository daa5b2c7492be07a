import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Channel } from './channel';
import { Buckets } from './buckets';

function channel(key: string, roomId = '', mid = 1): Channel {
  return { key, mid, roomId, roomList: () => (roomId ? [roomId] : []), accepts: new Set(), checksum: false, remoteAddress: '', transport: 'tcp', deliver: () => true, close: () => undefined };
}

describe('Buckets', () => {
  it('indexes channels by key and room, and replaces a reconnected key', () => {
    const b = new Buckets({ buckets: 4 });
    const a1 = channel('a', 'live://1');
    assert.equal(b.put(a1), undefined);
    b.put(channel('b', 'live://1'));
    assert.equal(b.roomSize('live://1'), 2);
    const a2 = channel('a', 'live://2');
    assert.equal(b.put(a2), a1);
    assert.equal(b.channel('a'), a2);
    assert.equal(b.roomSize('live://1'), 1);
    assert.equal(b.roomSize('live://2'), 1);
    assert.equal(b.size, 2);
  });

  it('ignores the removal of a channel that was already replaced', () => {
    const b = new Buckets({ buckets: 2 });
    const old = channel('k', 'r');
    b.put(old);
    const fresh = channel('k', 'r');
    b.put(fresh);
    assert.equal(b.remove(old), false);
    assert.equal(b.channel('k'), fresh);
    assert.equal(b.remove(fresh), true);
    assert.equal(b.roomSize('r'), 0);
    assert.equal(b.size, 0);
  });

  it('finds channels by user', () => {
    const b = new Buckets({ buckets: 8 });
    b.put(channel('x', '', 7));
    b.put(channel('y', '', 7));
    b.put(channel('z', '', 8));
    assert.deepEqual(b.byMid(7).map((c) => c.key).sort(), ['x', 'y']);
  });
});
