import { randomBytes, randomInt } from 'node:crypto';
import { type Clock, systemClock } from '@imgate/common';
import { type RedisClient } from '@imgate/store';

/** Snowflake node ids: 10 bits. */
export const NODE_IDS = 1024;

/** The snowflake node id this process may mint with (docs/delivery.md, "Message ids"). */
export interface NodeLease {
  /** The id held (or last held); -1 before start and after stop. */
  readonly id: number;
  /** Whether the lease is known to be ours right now; ids minted while false may collide. */
  held(): boolean;
  start(): Promise<number>;
  stop(): Promise<void>;
}

export interface NodeLeaseOptions {
  ttlMs?: number;
  renewMs?: number;
  clock?: Clock;
  /** A renewal or re-acquisition failed (Redis down, every id taken); the timer tries again. */
  onError?: (err: unknown) => void;
}

// Compare-and-renew and compare-and-delete: only the owner token's holder touches the lease.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * `{prefix}node:{<n>}` = a random owner token, SET NX PX 30000, renewed every 10 s. Acquisition
 * tries the ids one by one from a random start (ids sit on different slots, so no one script can
 * scan them). A renewal that finds the lease gone or taken leases another id and calls `onChange`.
 */
export class RedisNodeLease implements NodeLease {
  private current = -1;
  private heldUntil = 0;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private readonly token = randomBytes(16).toString('hex');
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly onChange: (id: number, previous: number) => void,
    private readonly options: NodeLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.renewMs = options.renewMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
  }

  get id(): number {
    return this.current;
  }

  held(): boolean {
    return this.current >= 0 && this.clock.now() < this.heldUntil;
  }

  async start(): Promise<number> {
    if (this.timer && !this.stopped) return this.current;
    this.stopped = false;
    this.current = await this.acquire(-1);
    this.timer = setInterval(() => void this.renew(), this.renewMs);
    this.timer.unref();
    return this.current;
  }

  /** Renews now (the timer calls it every renewMs); concurrent calls share one round trip. */
  renew(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.renewing;
    if (this.current >= 0) await this.redis.eval(RELEASE, 1, this.key(this.current), this.token);
    this.current = -1;
    this.heldUntil = 0;
  }

  private key(n: number): string {
    return `${this.prefix}node:{${n}}`;
  }

  private async renewOnce(): Promise<void> {
    if (this.current < 0 || this.stopped) return;
    try {
      const asked = this.clock.now();
      if ((await this.redis.eval(RENEW, 1, this.key(this.current), this.token, this.ttlMs)) === 1) {
        this.heldUntil = asked + this.ttlMs;
        return;
      }
      this.heldUntil = 0;
      // Not the lost id: whoever took it may be minting with it right now.
      const next = await this.acquire(this.current);
      if (this.stopped) {
        await this.redis.eval(RELEASE, 1, this.key(next), this.token);
        return;
      }
      const previous = this.current;
      this.current = next;
      this.onChange(next, previous);
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  private async acquire(avoid: number): Promise<number> {
    const first = randomInt(NODE_IDS);
    for (let k = 0; k < NODE_IDS; k++) {
      const n = (first + k) % NODE_IDS;
      if (n === avoid) continue;
      const asked = this.clock.now();
      if ((await this.redis.set(this.key(n), this.token, 'PX', this.ttlMs, 'NX')) === 'OK') {
        this.heldUntil = asked + this.ttlMs;
        return n;
      }
    }
    throw new Error(`all ${NODE_IDS} snowflake node ids are leased`);
  }
}

/** The embedded default: one process, node 0, nothing to lease. */
export class MemoryNodeLease implements NodeLease {
  private current = -1;

  get id(): number {
    return this.current;
  }

  held(): boolean {
    return this.current === 0;
  }

  async start(): Promise<number> {
    this.current = 0;
    return 0;
  }

  async stop(): Promise<void> {
    this.current = -1;
  }
}
