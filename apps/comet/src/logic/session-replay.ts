import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { Buckets } from '../bucket/buckets';
import { CometMetrics } from '../comet.metrics';
import { OnlineReporter } from '../online-reporter.service';
import { LogicClient } from './logic.client';

/** Sessions per RenewSessions call during a replay (logic takes up to 10,000). */
const BATCH = 2_000;

/**
 * Writes everything this comet holds back into the store after the store lost it (Redis came
 * back empty, or was flushed): every live session through the batched RenewSessions path (logic
 * restores the missing ones, and never one that was just disconnected), then the room counts
 * (RenewOnline), so pushes find these clients again within seconds instead of at the next
 * periodic refresh. Runs one at a time; a failed replay is retried by the caller.
 */
@Injectable()
export class SessionReplay {
  private running?: Promise<boolean>;

  constructor(
    private readonly buckets: Buckets,
    private readonly logic: LogicClient,
    private readonly rooms: OnlineReporter,
    private readonly metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** True when every session and the room counts were written. */
  replay(): Promise<boolean> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<boolean> {
    const started = performance.now();
    const sessions: Array<{ mid: number; key: string }> = [];
    for (const ch of this.buckets.all()) if (ch.key) sessions.push({ mid: ch.mid, key: ch.key });
    let restored = 0;
    try {
      for (let i = 0; i < sessions.length; i += BATCH) {
        const r = await this.logic.renewSessions(sessions.slice(i, i + BATCH));
        restored += r.restored;
        this.metrics.sessionRenewals.inc({ result: 'renewed' }, r.renewed);
        if (r.restored) this.metrics.sessionRenewals.inc({ result: 'restored' }, r.restored);
      }
      await this.rooms.report();
    } catch (err) {
      this.logger.warn({ sessions: sessions.length, err: (err as Error).message }, 'session replay failed; retrying');
      return false;
    }
    this.logger.info({ sessions: sessions.length, restored, ms: Math.round(performance.now() - started) }, 'sessions and rooms written back to the store');
    return true;
  }
}
