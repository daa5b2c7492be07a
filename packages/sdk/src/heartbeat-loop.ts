import type { ImgateError } from './errors.js';
import type { AdaptiveHeartbeat } from './heartbeat.js';
import type { TimerHandle, Timers } from './timers.js';

/**
 * Runs the adaptive heartbeat on one connection: op 2 every interval, the outcome reported to
 * the state machine, and a reply that does not come in time declared a dead link.
 */
export class HeartbeatLoop {
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly heartbeat: AdaptiveHeartbeat,
    private readonly timers: Timers,
    /** Sends op 2 and settles with its op 3, or rejects (`timeout`, `disconnected`). */
    private readonly ping: (timeoutMs: number) => Promise<unknown>,
    private readonly dead: (reason: string) => void,
  ) {}

  start(): void {
    this.stop();
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.timers.setTimeout(() => this.beat(), this.heartbeat.intervalMs);
  }

  private beat(): void {
    const timeoutMs = this.heartbeat.replyTimeoutMs;
    const interval = this.heartbeat.intervalMs;
    this.ping(timeoutMs).then(
      () => {
        if (!this.running) return;
        this.heartbeat.success();
        this.schedule();
      },
      (err: ImgateError) => {
        if (!this.running || err.code !== 'timeout') return;
        this.heartbeat.timeout();
        this.stop();
        this.dead(`no heartbeat reply within ${timeoutMs} ms (interval ${interval} ms)`);
      },
    );
  }
}

/** Calls back when a browser reports the network is back (`online`); returns the unsubscribe, or nothing outside browsers. */
export function watchOnline(callback: () => void): (() => void) | undefined {
  const target = globalThis as { addEventListener?: (type: string, fn: () => void) => void; removeEventListener?: (type: string, fn: () => void) => void };
  if (typeof target.addEventListener !== 'function') return undefined;
  target.addEventListener('online', callback);
  return () => target.removeEventListener?.('online', callback);
}
