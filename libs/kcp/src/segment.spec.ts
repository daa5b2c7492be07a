import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kcp } from './kcp';
import { CMD_ACK, CMD_PUSH, decodeSegments, encodeSegment, readConv } from './segment';
import { Rng } from './testing/sim-network';
import { timeDiff, u32 } from './u32';

// Written by hand from the ikcp.c layout: conv, cmd, frg, wnd, ts, sn, una, len, little-endian.
const PUSH_HI = Uint8Array.of(
  0x44, 0x33, 0x22, 0x11, // conv 0x11223344
  0x51, //                   cmd 81 PUSH
  0x00, //                   frg 0
  0x80, 0x00, //             wnd 128
  0xe8, 0x03, 0x00, 0x00, // ts 1000
  0x05, 0x00, 0x00, 0x00, // sn 5
  0x03, 0x00, 0x00, 0x00, // una 3
  0x02, 0x00, 0x00, 0x00, // len 2
  0x68, 0x69, //             "hi"
);
const ACK_5 = Uint8Array.of(
  0x44, 0x33, 0x22, 0x11, 0x52, 0x00, 0x7f, 0x00, // conv, cmd 82 ACK, frg 0, wnd 127
  0xe8, 0x03, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, // ts 1000 (echoed), sn 5
  0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // una 6, len 0
);

describe('segment codec', () => {
  it('decodes a hand-written PUSH and ACK packed in one datagram', () => {
    const datagram = new Uint8Array([...PUSH_HI, ...ACK_5]);
    const segs = decodeSegments(datagram);
    assert.ok(segs !== null);
    assert.equal(segs.length, 2);
    const [push, ack] = segs;
    assert.deepEqual(
      { conv: push.conv, cmd: push.cmd, frg: push.frg, wnd: push.wnd, ts: push.ts, sn: push.sn, una: push.una, len: push.len },
      { conv: 0x11223344, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 1000, sn: 5, una: 3, len: 2 },
    );
    assert.deepEqual([...push.data], [0x68, 0x69]);
    assert.equal(ack.cmd, CMD_ACK);
    assert.equal(ack.sn, 5);
    assert.equal(ack.una, 6);
    assert.equal(ack.len, 0);
  });

  it('encodes the same bytes', () => {
    const push = encodeSegment({ conv: 0x11223344, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 1000, sn: 5, una: 3 }, Uint8Array.of(0x68, 0x69));
    assert.deepEqual(push, PUSH_HI);
    const ack = encodeSegment({ conv: 0x11223344, cmd: CMD_ACK, frg: 0, wnd: 127, ts: 1000, sn: 5, una: 6 });
    assert.deepEqual(ack, ACK_5);
  });

  it('rejects a cut header or a len past the end, ignores a short tail', () => {
    assert.equal(decodeSegments(PUSH_HI.subarray(0, 23)), null);
    assert.equal(decodeSegments(PUSH_HI.subarray(0, 25)), null, 'len 2 but only 1 payload byte');
    assert.equal(decodeSegments(new Uint8Array([...PUSH_HI, 1, 2, 3]))?.length, 1);
  });

  it('reads the conv like ikcp_getconv, or null under 24 bytes', () => {
    assert.equal(readConv(PUSH_HI), 0x11223344);
    assert.equal(readConv(PUSH_HI.subarray(0, 24)), 0x11223344);
    assert.equal(readConv(PUSH_HI.subarray(0, 23)), null);
    assert.equal(readConv(new Uint8Array(0)), null);
  });

  it('round-trips random headers and payloads', () => {
    const rng = new Rng(1);
    const u32Random = (): number => rng.int(0, 0xffffffff);
    for (let i = 0; i < 500; i++) {
      const h = { conv: u32Random(), cmd: rng.int(0, 255), frg: rng.int(0, 255), wnd: rng.int(0, 0xffff), ts: u32Random(), sn: u32Random(), una: u32Random() };
      const data = rng.bytes(rng.int(0, 64));
      const decoded = decodeSegments(encodeSegment(h, data));
      assert.ok(decoded !== null && decoded.length === 1);
      assert.deepEqual({ ...decoded[0], data: [...decoded[0].data] }, { ...h, len: data.length, data: [...data] });
    }
  });
});

describe('wrap-safe uint32 time', () => {
  it('orders values across the 2^32 wrap like _itimediff', () => {
    assert.equal(timeDiff(5, 0xfffffffb), 10);
    assert.equal(timeDiff(0xfffffffb, 5), -10);
    assert.equal(timeDiff(100, 100), 0);
    assert.equal(u32(0xffffffff + 2), 1);
  });
});

describe('engine output is byte-exact (fixed clock)', () => {
  it('sends "hi" as one PUSH, acks it, and samples the RTT', () => {
    const fromA: Uint8Array[] = [];
    const fromB: Uint8Array[] = [];
    const a = new Kcp(0x11223344, (d) => fromA.push(d));
    const b = new Kcp(0x11223344, (d) => fromB.push(d));
    assert.equal(a.send(Uint8Array.of(0x68, 0x69)), 0);

    a.update(0);
    assert.equal(fromA.length, 0, 'like ikcp, the first flush opens cwnd from 0 to 1 but sends no data');
    a.update(100);
    assert.deepEqual(fromA, [Uint8Array.of(
      0x44, 0x33, 0x22, 0x11, 0x51, 0x00, 0x80, 0x00, // PUSH, frg 0, wnd 128
      0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ts 100, sn 0
      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // una 0, len 2
      0x68, 0x69,
    )]);

    assert.equal(b.input(fromA[0]), 0);
    assert.equal(b.peekSize(), 2);
    b.update(130); // B has not read yet, so it advertises 127 free slots
    assert.deepEqual(fromB, [Uint8Array.of(
      0x44, 0x33, 0x22, 0x11, 0x52, 0x00, 0x7f, 0x00, // ACK, wnd 127
      0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // echoes ts 100, sn 0
      0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // una 1, len 0
    )]);
    assert.deepEqual(b.recv(), Uint8Array.of(0x68, 0x69));
    assert.equal(b.recv(), null);

    a.update(150);
    assert.equal(a.input(fromB[0]), 0);
    assert.equal(a.waitSnd(), 0);
    assert.equal(a.srtt, 50);
    assert.equal(a.rto, 150, 'srtt 50 + max(interval 100, 4 * rttvar 25)');
    assert.equal(a.cwnd, 2, 'slow start');
  });

  it('fragments a message: frg counts down, one datagram per full segment, acks packed together', () => {
    const fromA: Uint8Array[] = [];
    const fromB: Uint8Array[] = [];
    const a = new Kcp(7, (d) => fromA.push(d));
    const b = new Kcp(7, (d) => fromB.push(d));
    a.setMtu(50); // mss 26
    a.setNodelay(-1, -1, -1, 1); // no congestion window, so both fragments leave in the first flush
    a.send(new Uint8Array(30).fill(0xaa));
    a.update(0);

    assert.deepEqual(fromA.map((d) => d.length), [50, 28]);
    const [first] = decodeSegments(fromA[0]) ?? [];
    const [second] = decodeSegments(fromA[1]) ?? [];
    assert.deepEqual([first.frg, first.sn, first.len], [1, 0, 26]);
    assert.deepEqual([second.frg, second.sn, second.len], [0, 1, 4]);

    b.input(fromA[1]); // out of order
    assert.equal(b.peekSize(), -1);
    b.input(fromA[0]);
    assert.equal(b.peekSize(), 30);
    b.update(0);
    assert.equal(fromB.length, 1);
    assert.deepEqual(decodeSegments(fromB[0])?.map((s) => [s.cmd, s.sn, s.una]), [[CMD_ACK, 1, 2], [CMD_ACK, 0, 2]]);
    assert.deepEqual(b.recv(), new Uint8Array(30).fill(0xaa));
  });
});
