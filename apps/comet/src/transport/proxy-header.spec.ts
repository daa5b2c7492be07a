import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeProxyHeader, parseProxyHeader, V2_MAX_PAYLOAD } from './proxy-header';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const text = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

// Golden bytes as HAProxy 2.x writes them with send-proxy-v2 (no TLVs, then with one).
const SIG = '0d0a0d0a000d0a515549540a';
const V2_TCP4 = hex(`${SIG} 21 11 000c 7f000005 7f000001 d431 0c1d`); // 127.0.0.5:54321 -> 127.0.0.1:3101
const V2_TCP4_TLV = hex(`${SIG} 21 11 0013 7f000006 7f000001 0050 0c1d 01 0004 6832 2e30`); // + ALPN TLV "h2.0"
const V2_TCP6 = hex(`${SIG} 21 21 0024 20010db8000000000000000000000001 00000000000000000000000000000001 1234 0c1d`);
const V2_LOCAL = hex(`${SIG} 20 00 0000`);
const V1_TCP4 = text('PROXY TCP4 127.0.0.5 127.0.0.1 54321 3102\r\n');

describe('parseProxyHeader', () => {
  it('reads a v2 TCP4 header and says how long it is (what follows is the client\'s)', () => {
    const withData = new Uint8Array([...V2_TCP4, 0, 0, 0, 1]);
    assert.deepEqual(parseProxyHeader(withData), { kind: 'header', version: 2, length: 28, source: { address: '127.0.0.5', port: 54321 } });
  });

  it('skips v2 TLVs', () => {
    assert.deepEqual(parseProxyHeader(V2_TCP4_TLV), { kind: 'header', version: 2, length: 35, source: { address: '127.0.0.6', port: 80 } });
  });

  it('reads a v2 TCP6 header in RFC 5952 form', () => {
    assert.deepEqual(parseProxyHeader(V2_TCP6), { kind: 'header', version: 2, length: 52, source: { address: '2001:db8::1', port: 0x1234 } });
  });

  it('keeps an IPv4-mapped source of a v2 TCP6 header as ::ffff:a.b.c.d, as a dual-stack socket reports it', () => {
    const mapped = hex(`${SIG} 21 21 0024 00000000000000000000ffff7f000005 00000000000000000000000000000001 d431 0c1d`);
    assert.deepEqual(parseProxyHeader(mapped), { kind: 'header', version: 2, length: 52, source: { address: '::ffff:127.0.0.5', port: 54321 } });
  });

  it('a v2 LOCAL command (a proxy health check) has no client address', () => {
    assert.deepEqual(parseProxyHeader(V2_LOCAL), { kind: 'header', version: 2, length: 16 });
  });

  it('reads v1 TCP4, TCP6 and UNKNOWN lines', () => {
    assert.deepEqual(parseProxyHeader(V1_TCP4), { kind: 'header', version: 1, length: V1_TCP4.length, source: { address: '127.0.0.5', port: 54321 } });
    assert.deepEqual(parseProxyHeader(text('PROXY TCP6 2001:DB8::5 ::1 1 2\r\nGET')), { kind: 'header', version: 1, length: 32, source: { address: '2001:db8::5', port: 1 } });
    assert.deepEqual(parseProxyHeader(text('PROXY UNKNOWN\r\n')), { kind: 'header', version: 1, length: 15 });
  });

  it('is incomplete at every split point, and whole once the last byte arrives', () => {
    for (const golden of [V2_TCP4, V2_TCP4_TLV, V2_TCP6, V1_TCP4]) {
      for (let n = 1; n < golden.length; n++) assert.deepEqual(parseProxyHeader(golden.subarray(0, n)), { kind: 'incomplete' }, `first ${n} bytes`);
      assert.equal(parseProxyHeader(golden).kind, 'header');
    }
  });

  it('says none for a client speaking imgate or HTTP directly', () => {
    assert.deepEqual(parseProxyHeader(hex('0000002a0010000100000007')), { kind: 'none' });
    assert.deepEqual(parseProxyHeader(text('GET /sub HTTP/1.1\r\n')), { kind: 'none' });
    assert.deepEqual(parseProxyHeader(text('PROXX')), { kind: 'none' });
    assert.deepEqual(parseProxyHeader(hex('0d0a0d0a01')), { kind: 'none' });
  });

  it('refuses malformed headers with a reason', () => {
    const bad: Array<[Uint8Array, RegExp]> = [
      [hex(`${SIG} 11 11 000c 7f000005 7f000001 d431 0c1d`), /version 1/],
      [hex(`${SIG} 22 11 000c 7f000005 7f000001 d431 0c1d`), /command 2/],
      [hex(`${SIG} 21 11 0008 7f000005 7f000001`), /IPv4 addresses need 12/],
      [hex(`${SIG} 21 21 000c 7f000005 7f000001 d431 0c1d`), /IPv6 addresses need 36/],
      [hex(`${SIG} 21 51 0000`), /address family 5/],
      [hex(`${SIG} 21 13 0000`), /transport 3/],
      [hex(`${SIG} 21 11 ${(V2_MAX_PAYLOAD + 1).toString(16).padStart(4, '0')}`), /limit/],
      [text('PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n'), /expected/],
      [text('PROXY TCP4 1.2.3.999 5.6.7.8 1 2\r\n'), /bad TCP4/],
      [text('PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n'), /bad port/],
      [text('PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n'), /bad UDP4/],
      [text(`PROXY ${'x'.repeat(120)}`), /no CRLF/],
      [text('PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n'), /non-printable/],
    ];
    for (const [bytes, reason] of bad) {
      const r = parseProxyHeader(bytes);
      assert.equal(r.kind, 'error', Buffer.from(bytes).toString('hex'));
      assert.match((r as { reason: string }).reason, reason);
    }
  });

  it('never throws on random bytes and never reports a header longer than its input', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 5_000; i++) {
      const base = rnd() < 0.5 ? V2_TCP6 : V1_TCP4;
      const b = Uint8Array.from(base.subarray(0, Math.floor(rnd() * (base.length + 1))));
      for (let k = 0; k < 3; k++) if (b.length) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const r = parseProxyHeader(b);
      if (r.kind === 'header') assert.ok(r.length <= b.length);
    }
  });
});

describe('looksLikeProxyHeader', () => {
  it('spots either signature, even cut short', () => {
    assert.equal(looksLikeProxyHeader(V2_TCP4.subarray(0, 3)), true);
    assert.equal(looksLikeProxyHeader(text('PROX')), true);
    assert.equal(looksLikeProxyHeader(hex('00000010')), false);
    assert.equal(looksLikeProxyHeader(new Uint8Array(0)), false);
  });
});
