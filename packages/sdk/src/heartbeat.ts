export interface HeartbeatOptions {
  /** Consecutive answered heartbeats before the interval grows by one step. Default 3. */
  growAfter?: number;
  /** How the interval shrinks after a heartbeat goes unanswered: halve it (default), back to min, or one step down. */
  shrink?: 'halve' | 'min' | 'step';
  /** Longest wait for a heartbeat reply, ms; never longer than the current interval. Default 5000. */
  replyTimeoutMs?: number;
  /** Interval (seconds) when the server's auth reply gives no bounds, as goim's does not. Default 30. */
  fallbackSec?: number;
}

/** The bounds a server sets in its auth reply (op 8: heartbeat, heartbeat_min, heartbeat_step), in seconds. */
export interface HeartbeatBounds {
  minSec: number;
  maxSec: number;
  stepSec: number;
}

/**
 * Adaptive heartbeat (seed 004): probe for the longest interval the path (NATs, proxies, mobile
 * radios) tolerates. Start at min; after `growAfter` answered heartbeats in a row add a step;
 * when one goes unanswered shrink and remember the failed interval, so growth stops a step
 * below it instead of failing there again. After ten rounds of successes at that ceiling
 * (10 × growAfter heartbeats) it is forgotten and probed anew: networks change.
 * Never below min nor above max. Pure: no timers, the client reports outcomes.
 */
export class AdaptiveHeartbeat {
  private minMs = 0;
  private maxMs = 0;
  private stepMs = 0;
  private currentMs = 0;
  private streak = 0;
  private ceilingMs: number | undefined;
  private atCeiling = 0;
  private configured = false;
  private readonly growAfter: number;
  private readonly shrinkMode: 'halve' | 'min' | 'step';
  private readonly replyTimeout: number;
  readonly fallbackSec: number;

  constructor(opts: HeartbeatOptions = {}) {
    this.growAfter = Math.max(1, Math.floor(opts.growAfter ?? 3));
    this.shrinkMode = opts.shrink ?? 'halve';
    this.replyTimeout = Math.max(1, opts.replyTimeoutMs ?? 5_000);
    this.fallbackSec = Math.max(1, opts.fallbackSec ?? 30);
  }

  /**
   * Takes the bounds of a new connection. The first call starts at min; later ones (after a
   * reconnect) keep what was learned, clamped into the new bounds.
   */
  configure(bounds: HeartbeatBounds): void {
    const maxMs = Math.max(1, bounds.maxSec) * 1000;
    this.maxMs = maxMs;
    this.minMs = Math.min(Math.max(1, bounds.minSec) * 1000, maxMs);
    this.stepMs = Math.max(0, bounds.stepSec) * 1000;
    this.currentMs = this.configured ? this.clamp(this.currentMs) : this.minMs;
    if (this.ceilingMs !== undefined) this.ceilingMs = this.clamp(this.ceilingMs);
    this.streak = 0;
    this.configured = true;
  }

  /** Time from one heartbeat to the next, ms. */
  get intervalMs(): number {
    return this.currentMs;
  }

  /** How long to wait for the reply before the link counts as dead, ms. */
  get replyTimeoutMs(): number {
    return Math.min(this.replyTimeout, this.currentMs);
  }

  /** The learned upper limit after a failure, ms, if any. */
  get ceiling(): number | undefined {
    return this.ceilingMs;
  }

  get bounds(): { minMs: number; maxMs: number; stepMs: number } {
    return { minMs: this.minMs, maxMs: this.maxMs, stepMs: this.stepMs };
  }

  /** A heartbeat was answered in time. */
  success(): void {
    const limit = this.ceilingMs ?? this.maxMs;
    if (this.ceilingMs !== undefined && this.currentMs >= this.ceilingMs) {
      if (++this.atCeiling >= this.growAfter * 10) {
        this.ceilingMs = undefined;
        this.atCeiling = 0;
      }
    }
    if (++this.streak < this.growAfter) return;
    this.streak = 0;
    this.currentMs = Math.min(this.currentMs + this.stepMs, limit, this.maxMs);
  }

  /** A heartbeat went unanswered: shrink, and do not grow back to where it failed. */
  timeout(): void {
    const failed = this.currentMs;
    this.streak = 0;
    this.atCeiling = 0;
    this.ceilingMs = Math.max(this.minMs, failed - this.stepMs);
    if (this.shrinkMode === 'min') this.currentMs = this.minMs;
    else if (this.shrinkMode === 'step') this.currentMs = Math.max(this.minMs, failed - this.stepMs);
    else this.currentMs = Math.max(this.minMs, Math.floor(failed / 2));
  }

  private clamp(ms: number): number {
    return Math.min(Math.max(ms, this.minMs), this.maxMs);
  }
}

/** Reads the bounds from an auth reply body; goim's reply has none, so the fallback applies. */
export function boundsFromAuthReply(reply: Record<string, unknown>, fallbackSec: number): HeartbeatBounds {
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const maxSec = num(reply.heartbeat) ?? fallbackSec;
  const minSec = Math.min(num(reply.heartbeat_min) ?? maxSec, maxSec);
  const stepSec = num(reply.heartbeat_step) ?? 0;
  return { minSec, maxSec, stepSec };
}
