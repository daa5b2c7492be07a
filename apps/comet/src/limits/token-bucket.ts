/**
 * A token bucket: `burst` tokens at most, refilled at `rate` per second. Two numbers of state, so
 * one per connection (or per address) costs little; the clock is passed in (milliseconds).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket is full again (nothing to remember about its owner). */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    const elapsed = now - this.last;
    if (elapsed <= 0) return;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1_000);
  }
}

/** A bucket's settings: `rate` per second (0 turns the limit off) and `burst`. */
export interface RateSetting {
  rate: number;
  burst: number;
}
