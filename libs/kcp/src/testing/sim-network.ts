/**
 * TEST-ONLY: a deterministic simulated datagram network for the KCP specs.
 * Everything random comes from a seeded generator and time is a plain number
 * the test advances, so a failing run replays exactly. Not exported from the
 * package index.
 */

/** Seeded PRNG (mulberry32): small, fast, and the same sequence on every run. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
}

export interface LinkOptions {
  /** Probability that a datagram is dropped. */
  loss: number;
  /** Probability that a delivered datagram arrives twice. */
  duplicate: number;
  /** One-way delay bounds in ms; a wide range reorders datagrams. */
  minDelay: number;
  maxDelay: number;
}

interface InFlight {
  due: number;
  seq: number;
  datagram: Uint8Array;
}

/** One direction of a lossy, reordering, duplicating link. */
export class SimLink {
  sent = 0;
  dropped = 0;
  delivered = 0;
  private readonly queue: InFlight[] = [];
  private seq = 0;

  constructor(
    private readonly rng: Rng,
    private readonly opts: LinkOptions,
  ) {}

  get inFlight(): number {
    return this.queue.length;
  }

  /** Accepts a datagram at time `now` (a copy is kept, as a real network would). */
  send(datagram: Uint8Array, now: number): void {
    this.sent++;
    if (this.rng.chance(this.opts.loss)) {
      this.dropped++;
      return;
    }
    const copies = this.rng.chance(this.opts.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.schedule({ due: now + this.rng.int(this.opts.minDelay, this.opts.maxDelay), seq: this.seq++, datagram: datagram.slice() });
    }
  }

  /** Hands every datagram due by `now` to `sink`, in arrival order. */
  deliver(now: number, sink: (datagram: Uint8Array) => void): void {
    while (this.queue.length > 0 && this.queue[0].due <= now) {
      const next = this.queue.shift() as InFlight;
      this.delivered++;
      sink(next.datagram);
    }
  }

  private schedule(item: InFlight): void {
    // Keep the queue sorted by (due, seq) so equal times stay in send order.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.queue[mid];
      if (m.due < item.due || (m.due === item.due && m.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }
}
