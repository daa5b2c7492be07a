import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CMD_FIN, CMD_KICK, CMD_NEW, CMD_RECONNECT, decodeControl, decodeNew, encodeFin, encodeKick, encodeNew, encodeReconnect,
  isExtensionCommand, KICK_REASON_MAX, stampNew,
} from './ext';
import { Kcp } from './kcp';
import { CMD_PUSH, encodeSegment } from './segment';
import { Rng } from './testing/sim-network';

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

// Hand-written: a KCP header (little-endian) with cmd 80 and len 20, then ver, len, port and address in network order.
const NEW_1_2_3_4_8080 = Uint8Array.of(
  0x44, 0x33, 0x22, 0x11, 0x50, 0x00, 0x00, 0x00, // conv 0x11223344, cmd 80, frg 0, wnd 0
  ...zeros(12), //                                   ts, sn, una
  0x14, 0x00, 0x00, 0x00, //                         len 20
  0x00, 0x00, 0x1f, 0x90, //                         ver 0, len 0, port 8080 big-endian
  ...zeros(10), 0xff, 0xff, 1, 2, 3, 4, //           ::ffff:1.2.3.4
);

describe('NEW (real client address)', () => {
  it('encodes the hand-written bytes and decodes them back', () => {
    assert.deepEqual(encodeNew({ conv: 0x11223344, ip: '1.2.3.4', port: 8080 }), NEW_1_2_3_4_8080);
    const decoded = decodeNew(NEW_1_2_3_4_8080);
    assert.deepEqual({ ...decoded, rest: [...(decoded?.rest ?? [])] }, { cmd: CMD_NEW, conv: 0x11223344, ver: 0, len: 0, ip: '1.2.3.4', port: 8080, rest: [] });
  });

  it('carries IPv6 and the reserved ver/len fields', () => {
    const d = decodeNew(encodeNew({ conv: 9, ip: '2001:DB8::1', port: 65535, ver: 1, len: 16 }));
    assert.equal(d?.ip, '2001:db8::1');
    assert.equal(d?.port, 65535);
    assert.deepEqual([d?.ver, d?.len], [1, 16]);
  });

  it('is followed by ordinary segments that the engine takes once NEW is stripped', () => {
    const push = encodeSegment({ conv: 5, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, Uint8Array.of(42));
    const datagram = encodeNew({ conv: 5, ip: '::', port: 0, rest: push });
    const kcp = new Kcp(5, () => {});
    assert.equal(kcp.input(datagram), -3, 'stock ikcp behaviour: NEW is an unknown command');
    const decoded = decodeNew(datagram);
    assert.ok(decoded !== null);
    assert.equal(kcp.input(decoded.rest), 0);
    assert.deepEqual(kcp.recv(), Uint8Array.of(42));
  });

  it('lets a relay stamp the address in place', () => {
    const datagram = encodeNew({ conv: 5, ip: '::', port: 0 });
    assert.equal(stampNew(datagram, '203.0.113.7', 40000), true);
    assert.deepEqual([decodeNew(datagram)?.ip, decodeNew(datagram)?.port], ['203.0.113.7', 40000]);
    assert.equal(stampNew(encodeFin(5), '1.2.3.4', 1), false, 'not a NEW datagram');
    assert.equal(stampNew(datagram, '1.2.3', 1), false, 'malformed address');
  });

  it('refuses malformed input when encoding', () => {
    assert.throws(() => encodeNew({ conv: 1, ip: '1.2.3.256', port: 1 }), RangeError);
    assert.throws(() => encodeNew({ conv: 1, ip: 'fe80::1%eth0', port: 1 }), RangeError);
    assert.throws(() => encodeNew({ conv: 1, ip: '1.2.3.4', port: 65536 }), RangeError);
    assert.throws(() => encodeNew({ conv: 1, ip: '1.2.3.4', port: 1.5 }), RangeError);
  });

  it('rejects a NEW whose body is short or runs past the datagram', () => {
    assert.equal(decodeNew(NEW_1_2_3_4_8080.subarray(0, 43)), null);
    const short = NEW_1_2_3_4_8080.slice(0, 40);
    new DataView(short.buffer).setUint32(20, 16, true);
    assert.equal(decodeNew(short), null);
  });
});

describe('FIN, KICK and RECONNECT', () => {
  it('encode header-only FIN and RECONNECT', () => {
    assert.deepEqual(encodeFin(0x11223344), Uint8Array.of(0x44, 0x33, 0x22, 0x11, 85, ...zeros(19)));
    assert.deepEqual(encodeReconnect(0x11223344), Uint8Array.of(0x44, 0x33, 0x22, 0x11, 87, ...zeros(19)));
    assert.deepEqual(decodeControl(encodeFin(3)), { cmd: CMD_FIN, conv: 3 });
    assert.deepEqual(decodeControl(encodeReconnect(4)), { cmd: CMD_RECONNECT, conv: 4 });
  });

  it('encode KICK as a little-endian code plus UTF-8 reason', () => {
    assert.deepEqual(
      encodeKick(1, 0x0102, 'bye'),
      Uint8Array.of(1, 0, 0, 0, 86, ...zeros(15), 5, 0, 0, 0, 0x02, 0x01, 0x62, 0x79, 0x65),
    );
    assert.deepEqual(decodeControl(encodeKick(1, 4001, 'déjà vu 🙂')), { cmd: CMD_KICK, conv: 1, code: 4001, reason: 'déjà vu 🙂' });
    assert.deepEqual(decodeControl(encodeKick(1, 0)), { cmd: CMD_KICK, conv: 1, code: 0, reason: '' });
    assert.throws(() => encodeKick(1, -1), RangeError);
  });

  it('cuts a long KICK reason at a character boundary', () => {
    const reason = '€'.repeat(400); // 3 bytes each
    const decoded = decodeControl(encodeKick(1, 7, reason));
    assert.ok(decoded?.cmd === CMD_KICK);
    assert.equal(decoded.reason, '€'.repeat(Math.floor(KICK_REASON_MAX / 3)));
  });

  it('decodes invalid UTF-8 without throwing', () => {
    const kick = encodeKick(1, 2, 'ab');
    kick[kick.length - 1] = 0xff;
    const decoded = decodeControl(kick);
    assert.ok(decoded?.cmd === CMD_KICK);
    assert.equal(decoded.reason, 'a\ufffd');
  });

  it('is rejected by the engine like any unknown command', () => {
    const kcp = new Kcp(1, () => {});
    for (const d of [encodeFin(1), encodeKick(1, 1, 'x'), encodeReconnect(1)]) assert.equal(kcp.input(d), -3);
  });
});

describe('decodeControl', () => {
  it('returns null for ordinary KCP, short or inconsistent datagrams', () => {
    assert.equal(decodeControl(encodeSegment({ conv: 1, cmd: CMD_PUSH, frg: 0, wnd: 0, ts: 0, sn: 0, una: 0 })), null);
    assert.equal(decodeControl(encodeFin(1).subarray(0, 23)), null);
    const kickWithoutCode = encodeKick(1, 1).slice(0, 25);
    new DataView(kickWithoutCode.buffer).setUint32(20, 1, true);
    assert.equal(decodeControl(kickWithoutCode), null);
    const finPastEnd = encodeFin(1);
    new DataView(finPastEnd.buffer).setUint32(20, 1, true);
    assert.equal(decodeControl(finPastEnd), null);
  });

  it('never throws on random bytes', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 2000; i++) {
      const bytes = rng.bytes(rng.int(0, 80));
      if (bytes.length > 4) bytes[4] = [80, 85, 86, 87][i % 4];
      if (bytes.length >= 24 && rng.chance(0.5)) new DataView(bytes.buffer).setUint32(20, rng.int(0, bytes.length - 24), true);
      const decoded = decodeControl(bytes);
      if (decoded !== null) assert.ok(isExtensionCommand(decoded.cmd));
    }
  });

  it('knows its commands', () => {
    assert.deepEqual([79, 80, 81, 84, 85, 86, 87, 88].map(isExtensionCommand), [false, true, false, false, true, true, true, false]);
  });
});
