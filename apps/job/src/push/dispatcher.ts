import { Inject, Injectable } from '@nestjs/common';
import { callUnary, isServiceError, LOGGER, type Logger } from '@imgate/common';
import { type ConsumedRecord } from '@imgate/queue';
import { type comet, decodePushMsg, type PushMsg__Output, QueueDecodeError } from '@imgate/contracts';
import { CometPool } from '../comet-pool.service';
import type { JobConfig } from '../job.config';
import { JOB_CONFIG } from '../job.tokens';
import { JobMetrics } from '../job.metrics';
import { RoomRoutes } from '../room-routes.service';
import { DeliveryPlan } from './delivery-plan';

const RETRIES = 3;

/**
 * Delivers a batch of queue records: one ordered Deliver call per comet that has receivers.
 * Resolving means every comet took its part (or can never take it); throwing makes the queue
 * redeliver the batch, so offsets are never committed before the comets accepted.
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly pool: CometPool,
    private readonly rooms: RoomRoutes,
    private readonly metrics: JobMetrics,
    @Inject(JOB_CONFIG) private readonly config: JobConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handle(records: ConsumedRecord[]): Promise<void> {
    const plan = new DeliveryPlan(this.config);
    for (const record of records) {
      const msg = this.decode(record);
      if (!msg) continue;
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

  private async known(server: string): Promise<boolean> {
    if (!this.pool.get(server)) await this.pool.refresh();
    return this.pool.get(server) !== undefined;
  }

  private gone(server: string, items: number): void {
    // The comet left the registry: its connections are gone, so there is nobody to deliver to.
    this.metrics.records.inc({ result: 'comet_gone' }, items);
    this.logger.warn({ comet: server, items }, 'dropping deliveries for a comet that is no longer registered');
  }

  private async send(server: string, items: comet.Delivery[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const client = this.pool.get(server);
      if (!client) return this.gone(server, items.length);
      const started = performance.now();
      try {
        await callUnary(client.Deliver, client, { items }, this.config.cometTimeoutMs);
        this.metrics.cometCall.observe({ result: 'ok' }, (performance.now() - started) / 1000);
        this.metrics.records.inc({ result: 'delivered' }, items.length);
        return;
      } catch (err) {
        this.metrics.cometCall.observe({ result: 'error' }, (performance.now() - started) / 1000);
        if (isServiceError(err) && err.code === 3) {
          this.metrics.records.inc({ result: 'rejected' }, items.length);
          this.logger.error({ comet: server, err: err.details }, 'comet rejected deliveries; skipping them');
          return;
        }
        this.metrics.records.inc({ result: 'retry' }, items.length);
        // A comet that has left since is dropped on the next try instead of retried forever.
        await this.pool.refresh().catch(() => undefined);
        if (attempt >= RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }
}
