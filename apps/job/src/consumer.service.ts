import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger, retryForever } from '@imgate/common';
import { QUEUE_CONSUMER, type QueueConsumer } from '@imgate/queue';
import { JobMetrics } from './job.metrics';
import { Dispatcher } from './push/dispatcher';

/**
 * Runs the push consumer for the app's lifetime; on shutdown it stops fetching and commits what
 * was handled. Kafka being away at boot is not fatal: the consumer is started in the background,
 * retried with backoff (and logged) until it joins its group.
 */
@Injectable()
export class ConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(QUEUE_CONSUMER) private readonly consumer: QueueConsumer,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: JobMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private stopped = false;
  private starting?: Promise<boolean>;

  onApplicationBootstrap(): void {
    this.consumer.onLag?.((partition, lag) => this.metrics.lag.set({ partition: String(partition) }, lag));
    this.starting = retryForever(() => this.consumer.start((records) => this.dispatcher.handle(records)), {
      stopped: () => this.stopped,
      onError: (err, delayMs) => this.logger.warn({ err: err.message, delayMs }, 'push consumer could not start (kafka unavailable?); retrying'),
      baseMs: 500,
      capMs: 5_000,
    });
    void this.starting.then((ok) => ok && this.logger.info('push consumer started'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.consumer.stop().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'push consumer did not stop cleanly'));
  }
}
