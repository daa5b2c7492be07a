import type { Link } from '../link.js';
import type { Candidate } from '../node-list.js';
import type { TimerHandle } from '../timers.js';
import { LinePolicy } from './line-policy.js';
import { type RacePorts, raceLines } from './line-race.js';
import type { LineSwitchEvent, ResolvedLineOptions } from './line-switch-event.js';

/** What the switcher needs from the connection it watches. */
export interface LineHost extends RacePorts {
  /** The authenticated link, while open. */
  current(): Link | undefined;
  /** Every comet offering the transport, best first. */
  candidates(): Candidate[];
  /** Sends op 2 on the current link; settles with the reply or rejects (timeout, disconnected). */
  ping(timeoutMs: number): Promise<unknown>;
  /** Moves the session to `link` (open, probed), make-before-break; `event` is completed by the host. */
  switchTo(link: Link, event: Omit<LineSwitchEvent, 'switchMs'>): void;
}

/**
 * Watches the connected line and moves to a better comet when it stays degraded (seed 001's
 * switchMonitor): an op-2 ping every `checkIntervalMs` (outside the adaptive heartbeat, which
 * can be minutes apart) plus, on KCP, the engine's retransmit rate feed a LinePolicy; when it
 * says so, the other candidates are raced and a clearly better one is handed to the host.
 */
export class LineSwitcher {
  private readonly policy: LinePolicy;
  private timer: TimerHandle | undefined;
  private running = false;
  private probing = false;
  private lastStats: { retransmits: number; sent: number } | undefined;

  constructor(
    private readonly o: ResolvedLineOptions,
    private readonly host: LineHost,
  ) {
    this.policy = new LinePolicy(o);
  }

  /** A connection is up (first, reconnect or switch): start over on it. */
  connected(): void {
    this.policy.reset();
    this.lastStats = this.host.current()?.stats();
    this.running = true;
    this.schedule();
  }

  stopped(): void {
    this.running = false;
    this.host.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The host switched lines (counts for the switch interval). */
  switched(): void {
    this.policy.switched(this.host.clock.now());
  }

  private schedule(): void {
    this.host.timers.clearTimeout(this.timer);
    this.timer = this.host.timers.setTimeout(() => void this.check(), this.o.checkIntervalMs);
  }

  private async check(): Promise<void> {
    if (!this.running) return;
    const link = this.host.current();
    const lostMs = Math.min(Math.max(this.o.checkIntervalMs * 2, this.o.degradedRttMs * 2), 10_000);
    const started = this.host.clock.now();
    let rtt: number | undefined;
    try {
      await this.host.ping(lostMs);
      rtt = this.host.clock.now() - started;
    } catch {
      rtt = undefined;
    }
    if (!this.running || link !== this.host.current()) return;
    this.policy.sample(this.host.clock.now(), rtt, lostMs, this.retransmitRate(link));
    if (!this.probing && this.policy.shouldProbe(this.host.clock.now())) await this.probe(link!);
    if (this.running) this.schedule();
  }

  private retransmitRate(link: Link | undefined): number {
    const now = link?.stats();
    const before = this.lastStats;
    this.lastStats = now;
    if (!now || !before) return 0;
    const sent = now.sent - before.sent;
    return sent > 0 ? (now.retransmits - before.retransmits) / sent : 0;
  }

  private async probe(link: Link): Promise<void> {
    this.probing = true;
    this.policy.probed(this.host.clock.now());
    const others = this.host.candidates().filter((c) => c.address !== link.candidate.address).slice(0, this.o.candidates);
    try {
      if (others.length === 0) return;
      const race = await raceLines(others, this.host, this.o.probeTimeoutMs);
      const w = race.winner;
      if (!w) return;
      if (!this.running || link !== this.host.current() || !this.policy.better(w.rttMs)) return void w.link.close();
      this.host.switchTo(w.link, {
        reason: this.policy.reason,
        from: link.url,
        to: w.link.url,
        fromRttMs: this.policy.rttMs,
        toRttMs: w.rttMs,
        probed: race.probed,
      });
    } finally {
      this.probing = false;
    }
  }
}
