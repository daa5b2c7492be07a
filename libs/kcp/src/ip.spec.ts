import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIp, isIpv4Mapped, parseIp } from './ip';
import { Rng } from './testing/sim-network';

const hex = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('hex'));

describe('IP address text <-> 16 bytes', () => {
  it('maps IPv4 to ::ffff:a.b.c.d and back to the dotted quad', () => {
    assert.equal(hex(parseIp('127.0.0.1')), '00000000000000000000ffff7f000001');
    assert.equal(hex(parseIp('::ffff:127.0.0.1')), '00000000000000000000ffff7f000001');
    assert.equal(hex(parseIp('::FFFF:7f00:1')), '00000000000000000000ffff7f000001');
    assert.equal(formatIp(parseIp('255.255.255.255') as Uint8Array), '255.255.255.255');
    assert.equal(isIpv4Mapped(parseIp('10.0.0.1') as Uint8Array), true);
    assert.equal(isIpv4Mapped(parseIp('::1') as Uint8Array), false);
  });

  const valid: [string, string, string][] = [
    ['::', '00000000000000000000000000000000', '::'],
    ['::1', '00000000000000000000000000000001', '::1'],
    ['1::', '00010000000000000000000000000000', '1::'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '20010db8000000000000000000000001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000', '1:2:3:4:5:6:7:0'],
    ['fe80::1:2.3.4.5', 'fe800000000000000000000102030405', 'fe80::1:203:405'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008', '1:2:3:4:5:6:7:8'],
  ];
  for (const [text, bytes, canonical] of valid) {
    it(`parses ${text} and formats it as ${canonical}`, () => {
      const parsed = parseIp(text);
      assert.equal(hex(parsed), bytes);
      assert.equal(formatIp(parsed as Uint8Array), canonical);
    });
  }

  it('writes a mapped IPv4 address as ::ffff:a.b.c.d when asked, and never so for a look-alike', () => {
    const mapped = parseIp('127.0.0.5') as Uint8Array;
    assert.equal(formatIp(mapped, 'mapped'), '::ffff:127.0.0.5');
    assert.equal(formatIp(mapped, 'dotted'), '127.0.0.5');
    // ::ffff:0:0/96 with a non-zero group before it is not mapped: plain RFC 5952 text either way.
    const lookAlike = parseIp('0:0:0:0:1:ffff:7f00:5') as Uint8Array;
    assert.equal(formatIp(lookAlike, 'mapped'), '::1:ffff:7f00:5');
    assert.equal(formatIp(lookAlike, 'dotted'), '::1:ffff:7f00:5');
    // The choice touches only mapped addresses: compression is the same.
    assert.equal(formatIp(parseIp('2001:db8:0:1:0:0:0:1') as Uint8Array, 'mapped'), '2001:db8:0:1::1');
    assert.equal(formatIp(parseIp('::') as Uint8Array, 'mapped'), '::');
  });

  it('refuses bytes that are not 16 long', () => {
    assert.throws(() => formatIp(new Uint8Array(4)), /16 bytes, got 4/);
  });

  it('rejects malformed addresses', () => {
    for (const bad of [
      '', ' ', '1.2.3', '1.2.3.4.5', '1.2.3.256', '01.2.3.4', '1.2.3.-4', '1..2.3', 'a.b.c.d', '1.2.3.4 ',
      ':', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', '12345::', 'g::', ':1::', '1::2:', '::1.2.3',
      '1.2.3.4::', '::1.2.3.4:5', 'fe80::1%eth0', '[::1]', '1:2:3:4:5:6:7:8::', '::ffff:1.2.3.04',
    ]) {
      assert.equal(parseIp(bad), null, JSON.stringify(bad));
    }
  });

  it('round-trips random addresses through text', () => {
    const rng = new Rng(9);
    for (let i = 0; i < 1000; i++) {
      const bytes = rng.bytes(16);
      if (i % 3 === 0) bytes.fill(0, rng.int(0, 8) * 2, rng.int(8, 16)); // zero runs exercise "::"
      if (i % 5 === 0) bytes.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]); // mapped IPv4
      assert.equal(hex(parseIp(formatIp(bytes))), hex(bytes), formatIp(bytes));
    }
  });
});
