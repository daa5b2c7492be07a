import type { ResolvedLineOptions } from './line-switch-event.js';

/** Samples kept for the smoothed RTT. */
const WINDOW = 5;

/**
 * When to leave a line (seed 001's switchMonitor), pure: the caller feeds RTT samples of the
 * current link and the time. A line is degraded once every sample for `degradedForMs` was bad
 * (slow, lost, or KCP resending too much); then other comets may be probed, at most once per
 * `degradedForMs`, and one wins only when clearly better (hysteresis: `betterBy`) and healthy
 * itself. Switches are at most one per `minSwitchIntervalMs`. Equal lines therefore never flap:
 * neither is ever "clearly better" than the other.
 */
export class LinePolicy {
  private rtts: number[] = [];
  private badSince: number | undefined;
  private lastBadReason: 'rtt' | 'retransmits' = 'rtt';
  private lastSwitchAt = -Infinity;
  private lastProbeAt = -Infinity;

  constructor(private readonly o: ResolvedLineOptions) {}

  /** A new connection: what was measured on the old one no longer applies. */
  reset(): void {
    this.rtts = [];
    this.badSince = undefined;
  }

  /** One sample: the ping's RTT (undefined: lost, counted as `lostMs`) and, for KCP, the retransmit rate since the last one. */
  sample(now: number, rttMs: number | undefined, lostMs: number, retransmitRate = 0): void {
    const rtt = rttMs ?? lostMs;
    this.rtts.push(rtt);
    if (this.rtts.length > WINDOW) this.rtts.shift();
    const slow = rttMs === undefined || rtt > this.o.degradedRttMs;
    const resending = retransmitRate > this.o.maxRetransmitRate;
    if (!slow && !resending) {
      this.badSince = undefined;
      return;
    }
    this.lastBadReason = slow ? 'rtt' : 'retransmits';
    this.badSince ??= now;
  }

  /** The current link's smoothed RTT: the median of the last samples, ms. */
  get rttMs(): number {
    if (this.rtts.length === 0) return 0;
    const sorted = [...this.rtts].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  get reason(): 'rtt' | 'retransmits' {
    return this.lastBadReason;
  }

  /** True when the link has stayed bad long enough and neither a recent switch nor a recent probe holds us back. */
  shouldProbe(now: number): boolean {
    if (this.badSince === undefined || now - this.badSince < this.o.degradedForMs) return false;
    if (now - this.lastSwitchAt < this.o.minSwitchIntervalMs) return false;
    return now - this.lastProbeAt >= Math.max(this.o.degradedForMs, this.o.checkIntervalMs);
  }

  probed(now: number): void {
    this.lastProbeAt = now;
  }

  /** Whether a probed comet's RTT is worth a switch from the current link. */
  better(rttMs: number): boolean {
    return rttMs < this.o.degradedRttMs && rttMs <= this.rttMs * this.o.betterBy;
  }

  switched(now: number): void {
    this.lastSwitchAt = now;
    this.reset();
  }
}
