/**
 * A lossy link for a byte stream, as TCP experiences it. Userspace cannot drop bytes from a TCP
 * stream (the kernel below would never retransmit them), so loss is modelled as what it costs TCP:
 * the stream is cut into MSS-sized segments, each transmission of a segment is lost with
 * probability p, and a lost segment arrives only after its retransmission, holding every later
 * byte behind it (head-of-line blocking). When it is retransmitted follows Linux:
 *
 * - RACK/SACK recovery: once a later segment gets through, the sender learns of the hole one RTT
 *   later and retransmits then (no need to wait for the timer);
 * - otherwise the retransmission timer (or tail-loss probe) fires after rto = rtt + rto_min
 *   (Linux's srtt + max(rttvar, 200 ms) for a steady RTT);
 * - a lost retransmission waits for the timer again, doubling each time (exponential backoff).
 *
 * Pure: times are milliseconds passed in, randomness is injected.
 */

export interface LinkProfile {
  /** Probability that one transmission (a segment, a datagram) is lost, in [0, 1). */
  loss: number;
  /** Round-trip time of the emulated link (ms); each direction gets half. */
  rttMs: number;
  /** Extra one-way delay, uniform in [0, jitterMs) (UDP only: TCP's stream keeps its order). */
  jitterMs: number;
}

export interface StallModelOptions {
  /** Segment payload in bytes: a write is cut into chunks of this size, each lost or not on its own. */
  mss: number;
  /** Linux's TCP_RTO_MIN. */
  rtoMinMs: number;
  /** Lost retransmissions in a row after which the model stops drawing (bounds the backoff). */
  maxBackoffs: number;
}

export const TCP_DEFAULTS: StallModelOptions = { mss: 1448, rtoMinMs: 200, maxBackoffs: 6 };

interface Segment {
  data: Uint8Array;
  sentAt: number;
  /** When the segment (or its retransmission that got through) reaches the receiver. */
  deliverAt: number;
  /** For a lost segment: when its first retransmission leaves the sender. */
  retxAt: number;
  /** Retransmissions of this segment that were lost too. */
  lostRetx: number;
}

/** Mulberry32: a small seeded generator, so a run's loss pattern can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StallStats {
  /** First sends and retransmissions. */
  transmissions: number;
  /** Of those, lost. */
  lost: number;
}

/** One direction of a TCP connection over the lossy link. */
export class StallModel {
  private queue: Segment[] = [];
  private head = 0;
  /** Lost segments whose first retransmission is still ahead (candidates for SACK recovery). */
  private holes: Segment[] = [];
  readonly stats: StallStats = { transmissions: 0, lost: 0 };

  constructor(
    private readonly profile: LinkProfile,
    private readonly random: () => number,
    private readonly opts: StallModelOptions = TCP_DEFAULTS,
  ) {}

  private get rto(): number {
    return this.profile.rttMs + this.opts.rtoMinMs;
  }

  /** Cuts a write made at `now` into segments and schedules each one's arrival. */
  push(data: Uint8Array, now: number): void {
    const oneWay = this.profile.rttMs / 2;
    this.holes = this.holes.filter((h) => h.retxAt > now);
    for (let i = 0; i < data.length; i += this.opts.mss) {
      const seg: Segment = { data: data.subarray(i, i + this.opts.mss), sentAt: now, deliverAt: now + oneWay, retxAt: 0, lostRetx: 0 };
      this.stats.transmissions++;
      if (this.random() < this.profile.loss) {
        while (seg.lostRetx < this.opts.maxBackoffs && this.random() < this.profile.loss) seg.lostRetx++;
        // The first send and lostRetx retransmissions are lost; one more gets through.
        this.stats.lost += 1 + seg.lostRetx;
        this.stats.transmissions += 1 + seg.lostRetx;
        this.schedule(seg, now + this.rto);
        this.holes.push(seg);
      } else {
        // This segment's SACK reaches the sender one RTT from now: every earlier hole is known lost then.
        for (const hole of this.holes) if (now + this.profile.rttMs < hole.retxAt) this.schedule(hole, now + this.profile.rttMs);
      }
      this.queue.push(seg);
    }
  }

  /** The first retransmission at `retxAt`; each lost one waits a doubled timeout. */
  private schedule(seg: Segment, retxAt: number): void {
    seg.retxAt = retxAt;
    let at = retxAt;
    for (let k = 1; k <= seg.lostRetx; k++) at += this.rto * 2 ** k;
    seg.deliverAt = at + this.profile.rttMs / 2;
  }

  /** Segments the receiver's application can read by `now`, in order: a late head holds the rest. */
  take(now: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (this.head < this.queue.length && this.queue[this.head].deliverAt <= now) out.push(this.queue[this.head++].data);
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** When the head of the queue becomes readable; undefined when nothing is pending. */
  nextAt(): number | undefined {
    return this.head < this.queue.length ? this.queue[this.head].deliverAt : undefined;
  }

  get pendingSegments(): number {
    return this.queue.length - this.head;
  }
}
