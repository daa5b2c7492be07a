import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpLimits, normalizeIp } from './ip-limits';

describe('IpLimits', () => {
  it('caps connections per address and frees a slot when one ends', () => {
    const l = new IpLimits(2, { rate: 0, burst: 0 });
    assert.equal(l.admit('10.0.0.1'), true);
    assert.equal(l.admit('10.0.0.1'), true);
    assert.equal(l.admit('10.0.0.1'), false);
    assert.equal(l.admit('10.0.0.2'), true, 'another address is not affected');
    l.release('10.0.0.1');
    assert.equal(l.connections('10.0.0.1'), 1);
    assert.equal(l.admit('10.0.0.1'), true);
  });

  it('0 turns either limit off', () => {
    const l = new IpLimits(0, { rate: 0, burst: 0 });
    for (let i = 0; i < 1_000; i++) assert.equal(l.admit('a'), true);
    for (let i = 0; i < 1_000; i++) assert.equal(l.allowAuth('a', 0), true);
  });

  it('rate-limits auth per address and forgets addresses whose bucket refilled', () => {
    const l = new IpLimits(0, { rate: 1, burst: 2 });
    assert.deepEqual([l.allowAuth('a', 0), l.allowAuth('a', 0), l.allowAuth('a', 0)], [true, true, false]);
    assert.equal(l.allowAuth('b', 0), true);
    assert.equal(l.allowAuth('a', 1_000), true);
    assert.equal(l.trackedAddresses, 2);
    l.allowAuth('c', 20_000);
    assert.equal(l.trackedAddresses, 1, 'a and b were full again and are forgotten');
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 one', () => {
    assert.equal(normalizeIp('::ffff:127.0.0.2'), '127.0.0.2');
    assert.equal(normalizeIp('::1'), '::1');
    assert.equal(normalizeIp('::ffff:abcd'), '::ffff:abcd');
  });
});
