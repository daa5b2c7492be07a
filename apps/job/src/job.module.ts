import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock, COMET_REGISTRY, HealthController, LOGGER, type Logger, METRICS, MetricsController, type MetricsRegistry, ONLINE_REPOSITORY, QUEUE_CONSUMER, READINESS } from '@imgate/common';
import { CometPool } from './comet/comet-pool.service';
import { ConsumerService } from './consumer/consumer.service';
import type { JobConfig } from './job.config';
import type { JobInfra } from './job.infra';
import { JOB_CONFIG } from './job.tokens';
import { JobMetrics } from './metrics/job.metrics';
import { Dispatcher } from './push/dispatcher';
import { RoomDirectory } from './rooms/room-directory.service';

const JOB_INFRA = Symbol('JOB_INFRA');

class InfraLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(JOB_INFRA) private readonly infra: JobInfra) {}
  onModuleInit(): Promise<void> {
    return this.infra.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.infra.stop();
  }
}

@Module({})
export class JobModule {
  static register(config: JobConfig, infra: JobInfra, metrics: MetricsRegistry, logger: Logger, clock: Clock): DynamicModule {
    return {
      module: JobModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: JOB_CONFIG, useValue: config },
        { provide: JOB_INFRA, useValue: infra },
        { provide: COMET_REGISTRY, useValue: infra.registry },
        { provide: QUEUE_CONSUMER, useValue: infra.consumer },
        { provide: ONLINE_REPOSITORY, useValue: infra.online },
        { provide: METRICS, useValue: metrics },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        { provide: READINESS, useValue: () => infra.ready() },
        InfraLifecycle,
        JobMetrics,
        CometPool,
        RoomDirectory,
        Dispatcher,
        ConsumerService,
      ],
    };
  }
}
