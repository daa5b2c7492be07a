import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Buckets } from '../bucket/buckets';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { SessionRenewals } from '../logic/session-renewals';

/** The deadline clock's unit. Times are kept as whole ticks: small integers V8 stores unboxed. */
export const TICK_MS = 100;

/** Ticks since the process started (monotonic; fits a small integer for 6 years). */
export const monotonicTicks = (): number => Math.floor(performance.now() / TICK_MS);

/** Milliseconds as whole ticks, rounded up (a deadline is never shorter than asked). */
export const ticksOf = (ms: number): number => Math.ceil(ms / TICK_MS);

/** What the sweep visits: a connection that checks its own deadline (and whether its session is due a refresh). */
export interface Sweepable {
  sweep(now: number): void;
}

/**
 * Handshake and heartbeat deadlines for every connection, without a timer per connection (goim
 * keeps them in a timing wheel for the same reason). Each connection records when it was last
 * heard from, in ticks; one interval walks the buckets a few at a time so that every connection
 * is looked at once per period, and connections not yet in a bucket (handshake, auth in flight)
 * once per period too. A connection past its deadline is closed by its own `sweep`.
 */
@Injectable()
export class Deadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Read by connections on every packet; replaceable in tests. */
  now: () => number = monotonicTicks;
  /** Every connection is checked once per period (ms). */
  readonly periodMs: number;
  private readonly pending = new Set<Sweepable>();
  private readonly tickMs: number;
  private readonly perTick: number;
  private cursor = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(COMET_CONFIG) config: Pick<CometConfig, 'handshakeTimeoutMs' | 'buckets'>,
    private readonly buckets: Buckets,
    private readonly renewals: SessionRenewals,
  ) {
    // A quarter of the shortest deadline, between 100 ms and 1 s: a deadline is enforced within
    // that much of its time. The heartbeat deadline is at least 3 s (logic's 1 s minimum, doubled, plus slack).
    this.periodMs = Math.min(1_000, Math.max(TICK_MS, Math.floor(Math.min(config.handshakeTimeoutMs, 3_000) / 4)));
    const shards = buckets.shardCount;
    this.tickMs = Math.max(20, Math.floor(this.periodMs / shards));
    this.perTick = Math.ceil((shards * this.tickMs) / this.periodMs);
  }

  /** A connection that is in no bucket yet. */
  watch(c: Sweepable): void {
    this.pending.add(c);
  }

  unwatch(c: Sweepable): void {
    this.pending.delete(c);
  }

  /** Connections not yet in a bucket. */
  pendingConnections(): Sweepable[] {
    return [...this.pending];
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Checks every connection now. */
  sweepAll(): void {
    const now = this.now();
    for (const c of [...this.pending]) c.sweep(now);
    for (let i = 0; i < this.buckets.shardCount; i++) this.sweepShard(i, now);
    this.renewals.flush();
  }

  private tick(): void {
    const now = this.now();
    const shards = this.buckets.shardCount;
    if (this.cursor === 0) for (const c of [...this.pending]) c.sweep(now);
    for (let n = 0; n < this.perTick && this.cursor < shards; n++) this.sweepShard(this.cursor++, now);
    if (this.cursor >= shards) this.cursor = 0;
    this.renewals.flush();
  }

  private sweepShard(i: number, now: number): void {
    // A sweep may close a connection, which removes it from this map: iterating a Map while
    // deleting the current entry is safe.
    for (const ch of this.buckets.shard(i).channels.values()) (ch as unknown as Sweepable).sweep(now);
  }
}
