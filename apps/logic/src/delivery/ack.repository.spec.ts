import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acksByUser, deviceDelivery } from './ack.repository';

describe('ack rules', () => {
  it('groups acks by user, keeping their order', () => {
    const e = (mid: number, device: string) => ({ mid, device, stream: `u:${mid}`, offset: 1n });
    assert.deepEqual([...acksByUser([e(1, 'a'), e(2, 'b'), e(1, 'c')])].map(([mid, l]) => [mid, l.map((x) => x.device)]), [[1, ['a', 'c']], [2, ['b']]]);
    assert.throws(() => acksByUser([{ ...e(1, 'a'), mid: 0, stream: 'u:0' }]), RangeError);
  });

  it('undelivered is head − acked in the same epoch, never negative; another epoch counts as 0', () => {
    assert.deepEqual(deviceDelivery('d', 7, 4n, 5, { epoch: 7, head: 10n }), { device: 'd', acked: 4n, head: 10n, undelivered: 6n, lastAckMs: 5 });
    assert.equal(deviceDelivery('d', 7, 12n, 5, { epoch: 7, head: 10n }).undelivered, 0n);
    assert.deepEqual(deviceDelivery('d', 6, 4n, 5, { epoch: 7, head: 10n }).acked, 0n);
    assert.equal(deviceDelivery('d', 6, 4n, 5, { epoch: 7, head: 10n }).undelivered, 10n);
  });
});
