import { Inject, Injectable } from '@nestjs/common';
import { callUnary, CLOCK, type Clock, isServiceError, LOGGER, type Logger } from '@imgate/common';
import { type ConsumedRecord } from '@imgate/queue';
import { type comet, decodePushMsg, type PushMsg__Output, QueueDecodeError } from '@imgate/contracts';
import { CometPool } from '../comet-pool.service';
import type { JobConfig } from '../job.config';
import { JOB_CONFIG } from '../job.tokens';
import { JobMetrics } from '../job.metrics';
import { RoomRoutes } from '../room-routes.service';
import { CometFailures } from './comet-failures';
import { DeliveryPlan } from './delivery-plan';

/**
 * Delivers a batch of queue records: one ordered Deliver call per comet that has receivers.
 * A comet that fails is retried within a bound (JOB_COMET_RETRIES attempts inside
 * JOB_COMET_RETRY_BUDGET_MS), then its part is dropped and counted (`comet_failed`) and the comet
 * is skipped for JOB_COMET_COOLDOWN_MS (`comet_cooling`): one gone comet never blocks the
 * partition, and receivers with reliable delivery catch up from their streams
 * (docs/delivery.md). Records older than JOB_MAX_MESSAGE_AGE_MS are skipped (`too_old`), so a new
 * consumer group does not replay old pushes.
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly pool: CometPool,
    private readonly rooms: RoomRoutes,
    private readonly metrics: JobMetrics,
    @Inject(JOB_CONFIG) private readonly config: JobConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.failures = new CometFailures(config.cometCooldownMs, clock);
  }

  private readonly failures: CometFailures;

  async handle(records: ConsumedRecord[]): Promise<void> {
    const plan = new DeliveryPlan(this.config);
    for (const record of records) {
      const msg = this.decode(record);
      if (!msg) continue;
      if (this.tooOld(msg)) continue;
      if (msg.type === 'PUSH') {
        if (await this.known(msg.server)) plan.push(msg);
        else this.gone(msg.server, 1);
      } else if (msg.type === 'ROOM') {
        const servers = this.rooms.serversOf(msg.room);
        if (servers.size) plan.room(msg, servers);
        else this.metrics.records.inc({ result: 'no_members' });
      } else plan.all(msg, this.pool.ids());
    }
    await Promise.all([...plan.byComet].map(([server, items]) => this.send(server, items)));
  }

  private decode(record: ConsumedRecord): PushMsg__Output | undefined {
    try {
      return decodePushMsg(record.value);
    } catch (err) {
      if (!(err instanceof QueueDecodeError)) throw err;
      // A poison record must not block its partition forever.
      this.metrics.records.inc({ result: 'undecodable' });
      this.logger.error({ partition: record.partition, offset: record.offset, err: err.message }, 'skipping undecodable push record');
      return undefined;
    }
  }

  private tooOld(msg: PushMsg__Output): boolean {
    const max = this.config.maxMessageAgeMs;
    if (max === 0 || !msg.acceptedAtMs || this.clock.now() - msg.acceptedAtMs <= max) return false;
    this.metrics.records.inc({ result: 'too_old' });
    return true;
  }

  private async known(server: string): Promise<boolean> {
    if (!this.pool.get(server)) await this.pool.refresh();
    return this.pool.get(server) !== undefined;
  }

  private gone(server: string, items: number): void {
    // The comet left the registry: its connections are gone, so there is nobody to deliver to.
    this.metrics.records.inc({ result: 'comet_gone' }, items);
    this.logger.warn({ comet: server, items }, 'dropping deliveries for a comet that is no longer registered');
  }

  /**
   * What the comet did with the items: `stale` ones were resolved against an earlier process under
   * its id (it restarted) and `unreachable` ones named only keys it does not hold; neither counts
   * as delivered. Their receivers catch up from their streams when they reconnect.
   */
  private count(server: string, items: number, reply: { stale?: number; unreachable?: number }): void {
    const stale = reply.stale ?? 0;
    const unreachable = reply.unreachable ?? 0;
    this.metrics.records.inc({ result: 'delivered' }, Math.max(0, items - stale - unreachable));
    if (stale) {
      this.metrics.records.inc({ result: 'stale' }, stale);
      this.logger.warn({ comet: server, items: stale }, 'comet restarted under the same id: dropped deliveries meant for its earlier connections');
    }
    if (unreachable) this.metrics.records.inc({ result: 'unreachable' }, unreachable);
  }

  private async send(server: string, items: comet.Delivery[]): Promise<void> {
    if (this.failures.skipping(server)) {
      this.metrics.records.inc({ result: 'comet_cooling' }, items.length);
      return;
    }
    const { cometRetries, cometRetryBudgetMs, cometTimeoutMs } = this.config;
    const deadline = performance.now() + cometRetryBudgetMs;
    for (let attempt = 0; ; attempt++) {
      const client = this.pool.get(server);
      if (!client) return this.gone(server, items.length);
      const started = performance.now();
      try {
        // Never past the budget: a hung comet costs the partition at most the budget.
        const reply = await callUnary<comet.DeliverReq, comet.DeliverReply__Output>(client.Deliver, client, { items }, Math.max(100, Math.min(cometTimeoutMs, deadline - started)));
        this.metrics.cometCall.observe({ result: 'ok' }, (performance.now() - started) / 1000);
        this.count(server, items.length, reply);
        this.failures.succeeded(server);
        return;
      } catch (err) {
        this.metrics.cometCall.observe({ result: 'error' }, (performance.now() - started) / 1000);
        if (isServiceError(err) && err.code === 3) {
          this.metrics.records.inc({ result: 'rejected' }, items.length);
          this.logger.error({ comet: server, err: err.details }, 'comet rejected deliveries; skipping them');
          return;
        }
        // A comet that has left since is dropped on the next try instead of retried.
        await this.pool.refresh().catch(() => undefined);
        const pause = 100 * 2 ** attempt;
        if (attempt + 1 >= cometRetries || performance.now() + pause >= deadline) {
          this.failures.failed(server);
          this.metrics.records.inc({ result: 'comet_failed' }, items.length);
          this.logger.warn({ comet: server, items: items.length, attempts: attempt + 1, err: (err as Error).message }, 'comet did not take deliveries; dropped them (reliable-delivery clients catch up from their streams)');
          return;
        }
        this.metrics.records.inc({ result: 'retry' }, items.length);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }
}
