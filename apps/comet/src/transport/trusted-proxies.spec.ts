import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCidr, TrustedProxies } from './trusted-proxies';

describe('TrustedProxies', () => {
  const t = new TrustedProxies(['127.0.0.1/32', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);

  it('matches IPv4, IPv6 and IPv4-mapped peers against the CIDRs', () => {
    assert.equal(t.trusts('127.0.0.1'), true);
    assert.equal(t.trusts('::ffff:127.0.0.1'), true);
    assert.equal(t.trusts('127.0.0.5'), false);
    assert.equal(t.trusts('10.200.3.4'), true);
    assert.equal(t.trusts('fd12::1'), true);
    assert.equal(t.trusts('fe80::1'), false);
    assert.equal(t.trusts('192.0.2.7'), true);
    assert.equal(t.trusts('192.0.2.8'), false);
    assert.equal(t.trusts(''), false);
    assert.equal(new TrustedProxies([]).trusts('127.0.0.1'), false);
  });

  it('refuses what is not a CIDR', () => {
    for (const bad of ['127.0.0.1/33', 'fd00::/129', 'localhost', '1.2.3.4/8/1', '1.2.3.4/x']) assert.equal(parseCidr(bad), null, bad);
    assert.throws(() => new TrustedProxies(['nope']), /not a CIDR: nope/);
  });

  it('takes the rightmost hop a trusted proxy did not add', () => {
    const peer = { address: '127.0.0.1', port: 4000 };
    assert.deepEqual(t.forwardedClient(peer, { xForwardedFor: '203.0.113.9, 10.1.1.1' }), { address: '203.0.113.9', port: 0 });
    // The client's own forged left-most entry stays unread: the walk stops at the first untrusted hop.
    assert.deepEqual(t.forwardedClient(peer, { xForwardedFor: '6.6.6.6, 203.0.113.9' }), { address: '203.0.113.9', port: 0 });
    assert.deepEqual(t.forwardedClient(peer, { forwarded: 'for=6.6.6.6, for="[2001:db8::1]:4711";proto=https', xForwardedFor: '9.9.9.9' }), { address: '2001:db8::1', port: 4711 });
    assert.deepEqual(t.forwardedClient(peer, { forwarded: 'for=198.51.100.2:5555' }), { address: '198.51.100.2', port: 5555 });
  });

  it('ignores the headers from an untrusted peer, and stops at a malformed hop', () => {
    const stranger = { address: '127.0.0.6', port: 4000 };
    assert.deepEqual(t.forwardedClient(stranger, { xForwardedFor: '1.2.3.4' }), stranger);
    const peer = { address: '127.0.0.1', port: 4000 };
    assert.deepEqual(t.forwardedClient(peer, { xForwardedFor: '1.2.3.4, unknown' }), peer);
    assert.deepEqual(t.forwardedClient(peer, { forwarded: 'for=_hidden' }), peer);
    assert.deepEqual(t.forwardedClient(peer, {}), peer);
  });
});
