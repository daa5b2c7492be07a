import { Inject, Injectable } from '@nestjs/common';
import { callUnary, isServiceError, LOGGER, type Logger } from '@imgate/common';
import { type CometClient, decodePushMsg, type PushMsg__Output, QueueDecodeError } from '@imgate/proto';
import type { ConsumedRecord } from '@imgate/common';
import { CometPool } from '../comet/comet-pool.service';
import type { JobConfig } from '../job.config';
import { JOB_CONFIG } from '../job.tokens';
import { JobMetrics } from '../metrics/job.metrics';

/**
 * Delivers one push record to the comet that holds its receivers. Resolving means the comet took
 * it (or it can never be delivered); throwing makes the queue redeliver, so nothing is committed early.
 */
@Injectable()
export class PushHandler {
  constructor(
    private readonly pool: CometPool,
    private readonly metrics: JobMetrics,
    @Inject(JOB_CONFIG) private readonly config: JobConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handle(record: ConsumedRecord): Promise<void> {
    let msg: PushMsg__Output;
    try {
      msg = decodePushMsg(record.value);
    } catch (err) {
      if (!(err instanceof QueueDecodeError)) throw err;
      // A poison record must not block its partition forever.
      this.metrics.records.inc({ result: 'undecodable' });
      this.logger.error({ partition: record.partition, offset: record.offset, err: err.message }, 'skipping undecodable push record');
      return;
    }
    if (msg.type !== 'PUSH') {
      this.metrics.records.inc({ result: 'unsupported' });
      this.logger.error({ type: msg.type, offset: record.offset }, 'skipping push record of a type this job does not handle');
      return;
    }
    await this.pushKeys(msg);
  }

  private async comet(id: string): Promise<CometClient | undefined> {
    if (!this.pool.get(id)) await this.pool.refresh();
    return this.pool.get(id);
  }

  private async pushKeys(msg: PushMsg__Output): Promise<void> {
    const client = await this.comet(msg.server);
    if (!client) {
      // The comet left the registry: its connections are gone, so there is nobody to deliver to.
      this.metrics.records.inc({ result: 'comet_gone' });
      this.logger.warn({ comet: msg.server, keys: msg.keys.length }, 'dropping push for a comet that is no longer registered');
      return;
    }
    const started = performance.now();
    try {
      await callUnary(client.PushKeys, client, { keys: msg.keys, operation: msg.operation, body: msg.msg, acceptedAtMs: msg.acceptedAtMs }, this.config.cometTimeoutMs);
      this.metrics.cometCall.observe({ result: 'ok' }, (performance.now() - started) / 1000);
      this.metrics.records.inc({ result: 'delivered' });
    } catch (err) {
      this.metrics.cometCall.observe({ result: 'error' }, (performance.now() - started) / 1000);
      if (isServiceError(err) && err.code === 3) {
        this.metrics.records.inc({ result: 'rejected' });
        this.logger.error({ comet: msg.server, err: err.details }, 'comet rejected a push record; skipping it');
        return;
      }
      this.metrics.records.inc({ result: 'retry' });
      // Refresh so a comet that has since left is dropped on redelivery instead of retried forever.
      await this.pool.refresh().catch(() => undefined);
      throw err;
    }
  }
}
