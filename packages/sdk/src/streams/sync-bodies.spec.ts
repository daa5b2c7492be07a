import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSync } from '@imgate/protocol';
import { authDelivery } from './auth-delivery.js';
import { syncBodies } from './sync-bodies.js';

describe('syncBodies', () => {
  it('splits positions into op-28 bodies of at most 64 streams', () => {
    const positions = Array.from({ length: 130 }, (_, i) => ({ stream: `u:${i + 1}`, epoch: 1, offset: BigInt(i) }));
    const bodies = syncBodies(positions, 100).map(parseSync);
    assert.deepEqual(bodies.map((b) => b.streams.length), [64, 64, 2]);
    assert.deepEqual(bodies.flatMap((b) => b.streams), positions);
    assert.ok(bodies.every((b) => b.limit === 100));
    assert.deepEqual(syncBodies([]), []);
  });
});

describe('authDelivery', () => {
  it('reads the device and stream heads of an auth reply', () => {
    const reply = { mid: 123, delivery: { device: 'phone', streams: { 'u:123': { epoch: 123456, head: '17' }, 'r:live://1000': { epoch: 9, head: '18446744073709551615' } } } };
    assert.deepEqual(authDelivery(reply), {
      device: 'phone',
      heads: new Map([
        ['u:123', { epoch: 123456, head: 17n }],
        ['r:live://1000', { epoch: 9, head: 2n ** 64n - 1n }],
      ]),
    });
  });

  it('is undefined for a connection that did not opt in, and leaves out malformed entries', () => {
    assert.equal(authDelivery({ mid: 1 }), undefined);
    assert.equal(authDelivery({ delivery: true }), undefined);
    const d = authDelivery({ delivery: { streams: { 'u:1': { epoch: 1, head: 17 }, 'x:1': { epoch: 1, head: '1' }, 'u:2': { epoch: -1, head: '1' }, 'u:3': null, 'u:4': { epoch: 0, head: '0' } } } });
    assert.deepEqual(d, { device: undefined, heads: new Map([['u:4', { epoch: 0, head: 0n }]]) });
  });
});
