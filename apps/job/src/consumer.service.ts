import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { QUEUE_CONSUMER, type QueueConsumer } from '@imgate/queue';
import { JobMetrics } from './job.metrics';
import { Dispatcher } from './push/dispatcher';

/** Runs the push consumer for the app's lifetime; on shutdown it stops fetching and commits what was handled. */
@Injectable()
export class ConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(QUEUE_CONSUMER) private readonly consumer: QueueConsumer,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: JobMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer.onLag?.((partition, lag) => this.metrics.lag.set({ partition: String(partition) }, lag));
    await this.consumer.start((records) => this.dispatcher.handle(records));
    this.logger.info('push consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
