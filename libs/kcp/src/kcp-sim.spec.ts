import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kcp, KcpOptions } from './kcp';
import { CMD_PUSH, CMD_WASK, CMD_WINS, decodeSegments, Segment } from './segment';
import { LinkOptions, Rng, SimLink } from './testing/sim-network';

/** Two engines joined by two simulated links, driven by one deterministic clock. */
class Pair {
  now: number;
  readonly a: Kcp;
  readonly b: Kcp;
  readonly ab: SimLink;
  readonly ba: SimLink;
  readonly gotA: Uint8Array[] = [];
  readonly gotB: Uint8Array[] = [];
  /** Every segment each side put on the wire, with the time it was sent. */
  readonly wireA: { at: number; seg: Segment }[] = [];
  readonly wireB: { at: number; seg: Segment }[] = [];
  readingA = true;
  readingB = true;

  constructor(rng: Rng, link: LinkOptions, opts: KcpOptions = {}, start = 0) {
    this.now = start;
    this.ab = new SimLink(rng, link);
    this.ba = new SimLink(rng, link);
    this.a = new Kcp(0x5eed, (d) => this.wire(this.wireA, this.ab, d), opts);
    this.b = new Kcp(0x5eed, (d) => this.wire(this.wireB, this.ba, d), opts);
  }

  both(configure: (k: Kcp) => void): this {
    configure(this.a);
    configure(this.b);
    return this;
  }

  /** Advances the clock in `tick` steps until `done` holds (checked each step) or `maxMs` passes. */
  run(tick: number, maxMs: number, done: () => boolean): void {
    const end = this.now + maxMs;
    while (this.now < end && !done()) {
      this.now += tick;
      const t = this.now >>> 0; // the engines see a wrapping uint32 clock
      this.ab.deliver(this.now, (d) => assert.equal(this.b.input(d), 0));
      this.ba.deliver(this.now, (d) => assert.equal(this.a.input(d), 0));
      this.a.update(t);
      this.b.update(t);
      if (this.readingA) for (let m = this.a.recv(); m !== null; m = this.a.recv()) this.gotA.push(m);
      if (this.readingB) for (let m = this.b.recv(); m !== null; m = this.b.recv()) this.gotB.push(m);
    }
  }

  private wire(log: { at: number; seg: Segment }[], link: SimLink, datagram: Uint8Array): void {
    for (const seg of decodeSegments(datagram) ?? []) log.push({ at: this.now, seg });
    link.send(datagram, this.now);
  }
}

/** 1,000 messages, mostly small, some up to the fragment limit, including 0 bytes and exactly the limit. */
function messages(rng: Rng, count: number, max: number): Uint8Array[] {
  const out = [rng.bytes(max), new Uint8Array(0)];
  while (out.length < count) {
    const r = rng.next();
    const size = r < 0.6 ? rng.int(0, 100) : r < 0.85 ? rng.int(100, 3000) : r < 0.97 ? rng.int(3000, 20000) : rng.int(20000, max);
    out.push(rng.bytes(size));
  }
  return out;
}

function assertSameMessages(got: Uint8Array[], sent: Uint8Array[]): void {
  assert.equal(got.length, sent.length, 'message count');
  for (let i = 0; i < sent.length; i++) {
    assert.ok(Buffer.from(got[i]).equals(Buffer.from(sent[i])), `message ${i} (${sent[i].length} bytes) differs`);
  }
}

const lossy: LinkOptions = { loss: 0.2, duplicate: 0.05, minDelay: 10, maxDelay: 90 };

describe('Kcp over a simulated lossy network', () => {
  for (const mode of [
    { name: 'default mode', tick: 20, configure: (_k: Kcp): void => {} },
    { name: 'nodelay(1, 10, 2, 1)', tick: 10, configure: (k: Kcp): void => k.setNodelay(1, 10, 2, 1) },
  ]) {
    it(`${mode.name}: 1,000 messages each way at 20% loss arrive once, in order, intact`, () => {
      const rng = new Rng(0xc0ffee);
      // Start 30 s before the uint32 clock wraps, so every timer crosses the wrap.
      const pair = new Pair(rng, lossy, {}, 0xffffffff - 30_000).both(mode.configure);
      const toB = messages(rng, 1000, pair.a.maxMessageSize);
      const toA = messages(rng, 1000, pair.b.maxMessageSize);
      for (const m of toB) assert.equal(pair.a.send(m), 0);
      for (const m of toA) assert.equal(pair.b.send(m), 0);

      pair.run(mode.tick, 3_600_000, () => pair.gotA.length === toA.length && pair.gotB.length === toB.length);
      pair.run(mode.tick, 5_000, () => false); // late retransmissions and duplicates must not surface as messages

      assertSameMessages(pair.gotB, toB);
      assertSameMessages(pair.gotA, toA);
      assert.equal(pair.a.waitSnd(), 0);
      assert.equal(pair.b.waitSnd(), 0);
      assert.ok(pair.ab.dropped > 0 && pair.a.xmit > 0, 'the network really lost data');
      assert.equal(pair.a.deadLink || pair.b.deadLink, false);
    });
  }

  it('stream mode: the byte stream arrives intact although writes coalesce', () => {
    const rng = new Rng(42);
    const pair = new Pair(rng, lossy, { stream: true }).both((k) => k.setNodelay(1, 10, 2, 1));
    const writes = Array.from({ length: 600 }, () => rng.bytes(rng.int(0, 5000)));
    for (const w of writes) assert.equal(pair.a.send(w), 0);
    const total = writes.reduce((n, w) => n + w.length, 0);
    const received = (): number => pair.gotB.reduce((n, m) => n + m.length, 0);

    pair.run(10, 600_000, () => received() >= total);

    assert.ok(Buffer.concat(pair.gotB).equals(Buffer.concat(writes)));
    assert.ok(pair.wireA.every(({ seg }) => seg.frg === 0), 'stream mode never fragments');
    // Writes queued together coalesce: only the very last segment is not full.
    const segments = new Set(pair.wireA.filter(({ seg }) => seg.cmd === CMD_PUSH).map(({ seg }) => seg.sn));
    assert.equal(segments.size, Math.ceil(total / pair.a.mss));
  });

  it('declares the link dead after dead_link transmissions of one segment without an ack', () => {
    const pushes: number[] = [];
    const kcp = new Kcp(1, (d) => {
      for (const seg of decodeSegments(d) ?? []) if (seg.cmd === CMD_PUSH) pushes.push(seg.sn);
    });
    kcp.send(Uint8Array.of(1, 2, 3));
    // Nothing ever comes back (100% loss). Large steps keep the doubling timeouts cheap to simulate.
    for (let t = 0; !kcp.deadLink && t < 1e9; t += 10_000) {
      kcp.update(t);
      if (pushes.length < 20) assert.equal(kcp.state, 0, `alive after ${pushes.length} transmissions`);
    }
    assert.deepEqual(pushes, new Array(20).fill(0), 'sn 0 sent exactly dead_link (20) times');
    assert.equal(kcp.state, -1);
    assert.equal(kcp.xmit, 19, 'the first send is not a retransmission');
  });

  it('honours a lower dead-link threshold in nodelay mode', () => {
    let transmissions = 0;
    const kcp = new Kcp(1, () => transmissions++);
    kcp.setNodelay(1, 10, 2, 1);
    kcp.setDeadLinkThreshold(5);
    kcp.send(Uint8Array.of(1));
    for (let t = 0; !kcp.deadLink && t < 100_000; t += 10) kcp.update(t);
    assert.equal(transmissions, 5);
    assert.ok(kcp.deadLink);
  });

  it('probes a zero window (WASK), then resumes when the receiver reads again', () => {
    const rng = new Rng(7);
    const pair = new Pair(rng, { loss: 0, duplicate: 0, minDelay: 20, maxDelay: 20 });
    pair.readingB = false; // B's application stops reading: its queue fills and it advertises wnd 0
    const sent = Array.from({ length: 400 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8));
    for (const m of sent) pair.a.send(m);

    pair.run(10, 30_000, () => false);
    assert.equal(pair.a.stats.remoteWindow, 0);
    const firstZero = pair.wireB.find(({ seg }) => seg.wnd === 0);
    const asks = pair.wireA.filter(({ seg }) => seg.cmd === CMD_WASK);
    assert.ok(firstZero !== undefined && asks.length >= 2, 'A kept probing');
    assert.ok(asks[0].at - firstZero.at >= 7000, 'the first probe waits IKCP_PROBE_INIT');
    assert.ok(asks[1].at - asks[0].at >= 10_500, 'later probes back off by half again');
    assert.ok(pair.wireB.some(({ seg }) => seg.cmd === CMD_WINS), 'B answered with its window');
    const maxSnStalled = Math.max(...pair.wireA.filter(({ seg }) => seg.cmd === CMD_PUSH).map(({ seg }) => seg.sn));
    assert.ok(maxSnStalled < 256 + 32, 'A stopped sending new data into the closed window');

    const reopenedAt = pair.now;
    pair.readingB = true;
    pair.run(10, 60_000, () => pair.gotB.length === sent.length);
    assertSameMessages(pair.gotB, sent);
    // B tells A its window reopened (ASK_TELL), so A resumes long before its next scheduled probe.
    assert.ok(pair.wireB.some(({ at, seg }) => at > reopenedAt && seg.cmd === CMD_WINS && seg.wnd > 0));
    const resumed = pair.wireA.find(({ seg }) => seg.cmd === CMD_PUSH && seg.sn > maxSnStalled);
    assert.ok(resumed !== undefined && resumed.at - reopenedAt < 500, 'new data flowed within one round trip or two');
  });
});
