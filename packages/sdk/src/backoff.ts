export interface BackoffOptions {
  /** Upper bound of the first delay, ms. Default 1000. */
  baseMs?: number;
  /** Largest delay, ms. Default 5000 (socket.io's default too): a client is back within 5 s of its server or the server's dependencies. */
  capMs?: number;
  /** Growth of the bound per failed attempt. Default 2. */
  factor?: number;
  /**
   * A connection that stayed up this long starts the schedule over when it ends, ms. Default 10000.
   * Any authenticated connection already brings it back to its second step.
   */
  stableMs?: number;
}

/**
 * Reconnect delays: exponential backoff with full jitter (a uniform draw in
 * [0, min(cap, base·factor^attempt))), which spreads a crowd of clients that lost the same
 * node instead of bringing them back in waves. Pure: the caller passes the time and the
 * random source.
 */
export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  readonly factor: number;
  readonly stableMs: number;
  private attempts = 0;
  private connectedAt: number | undefined;

  constructor(
    opts: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.baseMs = positive(opts.baseMs ?? 1_000, 'baseMs');
    this.capMs = Math.max(positive(opts.capMs ?? 5_000, 'capMs'), this.baseMs);
    this.factor = Math.max(1, opts.factor ?? 2);
    this.stableMs = Math.max(0, opts.stableMs ?? 10_000);
  }

  /** Failed attempts since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The bound of the delay for a given attempt: base·factor^attempt, at most cap. */
  ceiling(attempt: number): number {
    return Math.min(this.capMs, this.baseMs * this.factor ** attempt);
  }

  /** The delay before the next attempt, and counts the attempt. */
  next(): number {
    const bound = this.ceiling(this.attempts);
    this.attempts++;
    // Clamp: a random source returning 1 must not reach the bound.
    return Math.min(Math.floor(this.random() * bound), bound - 1);
  }

  /**
   * A connection was established (authenticated) at `now`: the server and its dependencies answer
   * again, so a failure soon after waits at most the second step, not the cap reached during an
   * outage (connections reset one after another would otherwise keep every retry at the cap).
   */
  connected(now: number): void {
    this.connectedAt = now;
    this.attempts = Math.min(this.attempts, 1);
  }

  /** The connection ended at `now`; one that lasted stableMs or more resets the schedule. */
  disconnected(now: number): void {
    if (this.connectedAt !== undefined && now - this.connectedAt >= this.stableMs) this.attempts = 0;
    this.connectedAt = undefined;
  }

  reset(): void {
    this.attempts = 0;
  }
}

function positive(v: number, name: string): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`backoff.${name} must be a positive number, got ${v}`);
  return v;
}
