import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kcp } from './kcp';
import { CMD_ACK, CMD_PUSH, CMD_WASK, CMD_WINS, decodeSegments, encodeSegment, SegmentHeader } from './segment';
import { Rng } from './testing/sim-network';

const CONV = 0x0a0b0c0d;

function seg(h: Partial<SegmentHeader>, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encodeSegment({ conv: CONV, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0, ...h }, data);
}

function capture(opts: { stream?: boolean } = {}): { kcp: Kcp; out: Uint8Array[] } {
  const out: Uint8Array[] = [];
  return { kcp: new Kcp(CONV, (d) => out.push(d), opts), out };
}

describe('Kcp.send', () => {
  it('accepts up to mss * 127 bytes and refuses a message needing 128 fragments (-2)', () => {
    const { kcp } = capture();
    assert.equal(kcp.maxMessageSize, 1376 * 127);
    assert.equal(kcp.send(new Uint8Array(kcp.maxMessageSize)), 0);
    assert.equal(kcp.waitSnd(), 127);
    assert.equal(kcp.send(new Uint8Array(kcp.maxMessageSize + 1)), -2);
    assert.equal(kcp.waitSnd(), 127, 'nothing queued by the refused send');
  });

  it('queues an empty message as one empty segment', () => {
    const { kcp } = capture();
    assert.equal(kcp.send(new Uint8Array(0)), 0);
    assert.equal(kcp.waitSnd(), 1);
  });

  it('stream mode coalesces small writes and refuses an oversized one whole', () => {
    const { kcp } = capture({ stream: true });
    kcp.send(new Uint8Array(10));
    kcp.send(new Uint8Array(20));
    assert.equal(kcp.waitSnd(), 1, 'the second write joined the first segment');
    assert.equal(kcp.send(new Uint8Array(1376 * 129)), -2);
    assert.equal(kcp.waitSnd(), 1, 'all or nothing, no partial write');
  });

  it('copies the data: later changes to the caller buffer do not leak', () => {
    const { kcp, out } = capture();
    kcp.setNodelay(1, 10, 0, 1);
    const data = Uint8Array.of(1, 2, 3);
    kcp.send(data);
    data.fill(9);
    kcp.update(0);
    assert.deepEqual([...(decodeSegments(out[0]) ?? [])[0].data], [1, 2, 3]);
  });
});

describe('Kcp.input error codes (like ikcp_input)', () => {
  const cases: [string, Uint8Array, number][] = [
    ['empty', new Uint8Array(0), -1],
    ['23 bytes', new Uint8Array(23), -1],
    ['another conv', encodeSegment({ conv: CONV + 1, cmd: CMD_PUSH, frg: 0, wnd: 1, ts: 0, sn: 0, una: 0 }), -1],
    ['len past the end', seg({}, Uint8Array.of(1, 2)).subarray(0, 25), -2],
    ['len of 4 GB', (() => { const d = seg({}); new DataView(d.buffer).setUint32(20, 0xffffffff, true); return d; })(), -2],
    ['command 0', seg({ cmd: 0 }), -3],
    ['command 255', seg({ cmd: 255 }), -3],
    ['a PUSH with 3 stray trailing bytes', new Uint8Array([...seg({}), 1, 2, 3]), 0],
  ];
  for (const [name, datagram, code] of cases) {
    it(`${name} -> ${code}`, () => assert.equal(capture().kcp.input(datagram), code));
  }

  it('rejects the nnet extension commands (80, 85, 86, 87) as unknown, like stock ikcp', () => {
    for (const cmd of [80, 85, 86, 87]) {
      const { kcp } = capture();
      assert.equal(kcp.input(seg({ cmd, wnd: 0 }, new Uint8Array(20))), -3);
      assert.equal(kcp.stats.remoteWindow, 128, 'the rejected header changed nothing');
    }
  });

  it('applies the segments before a bad one, as ikcp does', () => {
    const { kcp } = capture();
    assert.equal(kcp.input(new Uint8Array([...seg({ sn: 0 }, Uint8Array.of(7)), ...seg({ cmd: 99 })])), -3);
    assert.deepEqual(kcp.recv(), Uint8Array.of(7));
  });
});

describe('Kcp receiving', () => {
  it('peekSize is -1 until every fragment is there, then the whole size', () => {
    const { kcp } = capture();
    assert.equal(kcp.peekSize(), -1);
    kcp.input(seg({ sn: 0, frg: 1 }, new Uint8Array(5)));
    assert.equal(kcp.peekSize(), -1);
    assert.equal(kcp.recv(), null);
    kcp.input(seg({ sn: 1, frg: 0 }, new Uint8Array(3)));
    assert.equal(kcp.peekSize(), 8);
    assert.equal(kcp.recv()?.length, 8);
  });

  it('drops duplicates and out-of-window segments but still acks in-window ones', () => {
    const { kcp, out } = capture();
    kcp.input(seg({ sn: 0 }, Uint8Array.of(1)));
    kcp.input(seg({ sn: 0 }, Uint8Array.of(2))); // duplicate: acked again, not delivered again
    kcp.input(seg({ sn: 128 }, Uint8Array.of(3))); // rcv_nxt 1 + rcv_wnd 128 > 128: in window
    kcp.input(seg({ sn: 129 }, Uint8Array.of(4))); // out of window: ignored, not acked
    kcp.update(0);
    const acks = out.flatMap((d) => decodeSegments(d) ?? []).filter((s) => s.cmd === CMD_ACK).map((s) => s.sn);
    assert.deepEqual(acks, [0, 0, 128]);
    assert.deepEqual(kcp.recv(), Uint8Array.of(1));
    assert.equal(kcp.recv(), null);
    assert.equal(kcp.stats.rcvBuf, 1);
  });

  it('answers a window probe (WASK) with WINS carrying its free window', () => {
    const { kcp, out } = capture();
    kcp.input(seg({ cmd: CMD_WASK }));
    kcp.update(0);
    const [wins] = decodeSegments(out[0]) ?? [];
    assert.equal(wins.cmd, CMD_WINS);
    assert.equal(wins.wnd, 128);
  });

  it('advertises at least 128 even when asked for a smaller receive window', () => {
    const { kcp, out } = capture();
    kcp.setWndSize(8, 16);
    kcp.input(seg({ sn: 0 }));
    kcp.update(0);
    assert.equal((decodeSegments(out[0]) ?? [])[0].wnd, 127);
  });
});

describe('Kcp timing and settings', () => {
  it('check() says "now" before the first update and at most one interval ahead after', () => {
    const { kcp } = capture();
    assert.equal(kcp.check(5000), 5000);
    kcp.update(5000);
    assert.equal(kcp.check(5000), 5100);
    assert.equal(kcp.check(5100), 5100);
  });

  it('check() points at a retransmission due before the next flush', () => {
    const { kcp } = capture();
    kcp.setNodelay(-1, 1000, -1, -1);
    kcp.update(0); // the first flush opens cwnd to 1
    kcp.send(Uint8Array.of(1));
    kcp.update(1000); // sends sn 0: resend due at 1000 + rto 200 + rto/8
    assert.equal(kcp.check(1000), 1225);
    assert.equal(kcp.check(1100), 1225);
    assert.equal(kcp.check(1300), 1300, 'overdue: update now');
  });

  it('check() works across the uint32 wrap', () => {
    const { kcp } = capture();
    const start = 0xffffffff - 50;
    kcp.update(start);
    assert.equal(kcp.check(start), 49);
  });

  it('setMtu refuses < 50 and caps every datagram at the new mtu', () => {
    const { kcp, out } = capture();
    assert.equal(kcp.setMtu(49), -1);
    assert.equal(kcp.setMtu(100), 0);
    assert.equal(kcp.mss, 76);
    kcp.setNodelay(1, 10, 2, 1);
    kcp.send(new Uint8Array(1000));
    for (let i = 0; i < 20; i++) kcp.input(seg({ sn: i }, new Uint8Array(10)));
    kcp.update(0);
    assert.ok(out.length > 1 && out.every((d) => d.length <= 100));
  });

  it('reports stats for metrics', () => {
    const { kcp } = capture();
    const s = kcp.stats;
    assert.deepEqual([s.rto, s.srtt, s.cwnd, s.xmit, s.ssthresh, s.remoteWindow], [200, 0, 0, 0, 2, 128]);
    assert.equal(kcp.state, 0);
    assert.equal(kcp.deadLink, false);
  });
});

describe('Kcp.input never throws and stays bounded on hostile input', () => {
  const bounded = (kcp: Kcp): void => {
    const s = kcp.stats;
    assert.ok(s.rcvBuf <= 128 && s.rcvQueue <= 128, `rcv_buf ${s.rcvBuf}, rcv_queue ${s.rcvQueue}`);
    assert.ok(s.pendingAcks <= 128 * 16, `acks ${s.pendingAcks}`);
    assert.ok(s.sndBuf === 0 && s.sndQueue === 0);
  };

  it('random bytes', () => {
    const rng = new Rng(2);
    const { kcp } = capture();
    for (let i = 0; i < 3000; i++) {
      const bytes = rng.bytes(rng.int(0, 200));
      if (rng.chance(0.5) && bytes.length >= 4) new DataView(bytes.buffer).setUint32(0, CONV, true); // get past the conv check
      assert.ok([0, -1, -2, -3].includes(kcp.input(bytes)));
    }
    bounded(kcp);
  });

  it('well-framed segments with any command, frg, sn, una, ts and a wrong or right len', () => {
    const rng = new Rng(3);
    const pick = <T>(items: T[]): T => items[rng.int(0, items.length - 1)];
    const number = (): number => (rng.chance(0.7) ? rng.int(0, 300) : rng.int(0, 0xffffffff));
    const { kcp, out } = capture();
    kcp.update(0);
    let now = 0;
    for (let i = 0; i < 3000; i++) {
      const parts: Uint8Array[] = [];
      for (let n = rng.int(1, 8); n > 0; n--) {
        const data = rng.bytes(rng.int(0, 40));
        const h = { cmd: pick([0, 80, CMD_PUSH, CMD_ACK, CMD_WASK, CMD_WINS, 85, 255]), frg: rng.int(0, 255), wnd: rng.int(0, 0xffff), ts: number(), sn: number(), una: number() };
        const bytes = seg(h, data);
        new DataView(bytes.buffer).setUint32(20, Math.max(0, data.length + pick([0, 0, 0, 1, -1, 1000])), true);
        parts.push(rng.chance(0.1) ? bytes.subarray(0, rng.int(0, bytes.length)) : bytes);
      }
      assert.ok([0, -1, -2, -3].includes(kcp.input(Buffer.concat(parts))));
      if (rng.chance(0.5)) while (kcp.recv() !== null);
      if (rng.chance(0.5)) kcp.update((now += 10));
      bounded(kcp);
    }
    assert.ok(out.length > 0, 'the engine kept answering');
  });

  it('a flood of in-window PUSH segments between flushes caps the pending acks', () => {
    const { kcp } = capture();
    for (let i = 0; i < 5000; i++) kcp.input(seg({ sn: i % 128 }));
    bounded(kcp);
    assert.equal(kcp.stats.pendingAcks, 128 * 16);
  });

  it('a first fragment claiming 255 more is held without growing past the window', () => {
    const { kcp } = capture();
    for (let sn = 0; sn < 400; sn++) kcp.input(seg({ sn, frg: sn === 0 ? 255 : 1 }, new Uint8Array(8)));
    assert.equal(kcp.peekSize(), -1, 'never completes, as in ikcp');
    bounded(kcp);
  });
});
