import type { Clock, TimerHandle, Timers } from '../timers.js';
import type { PositionStore, StoredPositions } from './position-store.js';

export interface PositionSaverOptions {
  /** Least time between two saves, ms. Default 1000. */
  intervalMs?: number;
  /** A save that failed; the next change saves again. */
  onError?: (err: unknown) => void;
}

/**
 * Saves positions to a PositionStore at most every intervalMs, not on every message: touch()
 * after a change, flush() before closing. Saves run one at a time and each reads the newest
 * positions from `source` when it runs.
 */
export class PositionSaver {
  private readonly intervalMs: number;
  private timer: TimerHandle | undefined;
  private dirty = false;
  private queued = false;
  private lastSaveAt = -Infinity;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PositionStore,
    private readonly source: () => StoredPositions,
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly opts: PositionSaverOptions = {},
  ) {
    this.intervalMs = Math.max(0, opts.intervalMs ?? 1_000);
  }

  /** Positions changed: a save is scheduled unless one already is. */
  touch(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastSaveAt + this.intervalMs - this.clock.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, wait);
  }

  /** Saves now if anything changed since the last save; resolves when every save so far is done. */
  flush(): Promise<void> {
    this.cancel();
    return this.save();
  }

  /** Cancels a scheduled save (what changed stays unsaved until the next touch or flush). */
  stop(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Queues a save unless one is queued and not started yet: that one will read the newest positions. */
  private save(): Promise<void> {
    if (!this.dirty || this.queued) return this.chain;
    this.queued = true;
    this.lastSaveAt = this.clock.now();
    this.chain = this.chain.then(async () => {
      this.queued = false;
      this.dirty = false;
      try {
        await this.store.save(this.source());
      } catch (err) {
        this.dirty = true;
        this.opts.onError?.(err);
      }
    });
    return this.chain;
  }
}
