import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { CometMetrics } from '../comet.metrics';
import { LogicClient } from './logic.client';

/** Sessions per RenewSessions call (logic takes up to 10,000). */
const BATCH = 2_000;

/**
 * Session refreshes, gathered: connections due a refresh are queued during a deadline sweep and
 * sent to logic together afterwards, so a comet with a million connections makes a few calls a
 * second instead of thousands. A failed call is logged and counted; the sessions are refreshed
 * again on their next turn (the expiry in Redis is several refresh periods long).
 */
@Injectable()
export class SessionRenewals {
  private queue: Array<{ mid: number; key: string }> = [];

  constructor(
    private readonly logic: LogicClient,
    private readonly metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  add(mid: number, key: string): void {
    this.queue.push({ mid, key });
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Sends what was queued, in batches; does not wait for the answers. */
  flush(): void {
    if (this.queue.length === 0) return;
    const all = this.queue;
    this.queue = [];
    for (let i = 0; i < all.length; i += BATCH) void this.send(all.slice(i, i + BATCH));
  }

  private async send(sessions: Array<{ mid: number; key: string }>): Promise<void> {
    try {
      const r = await this.logic.renewSessions(sessions);
      this.metrics.sessionRenewals.inc({ result: 'renewed' }, r.renewed);
      if (r.restored) this.metrics.sessionRenewals.inc({ result: 'restored' }, r.restored);
    } catch (err) {
      this.metrics.sessionRenewals.inc({ result: 'failed' }, sessions.length);
      this.logger.warn({ sessions: sessions.length, err: (err as Error).message }, 'session refresh failed');
    }
  }
}
