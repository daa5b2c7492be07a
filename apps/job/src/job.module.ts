import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController, MetricsController, READINESS, type RoleDeps, roleProviders } from '@imgate/common';
import { COMET_REGISTRY, ONLINE_REPOSITORY } from '@imgate/store';
import { QUEUE_CONSUMER } from '@imgate/queue';
import { CometPool } from './comet-pool.service';
import { ConsumerService } from './consumer.service';
import type { JobConfig } from './job.config';
import type { JobInfra } from './job.infra';
import { JOB_CONFIG } from './job.tokens';
import { JobMetrics } from './job.metrics';
import { Dispatcher } from './push/dispatcher';
import { RoomRoutes } from './room-routes.service';

@Module({})
export class JobModule {
  static register(deps: RoleDeps<JobConfig, JobInfra>): DynamicModule {
    const { config, infra } = deps;
    return {
      module: JobModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: JOB_CONFIG, useValue: config },
        ...roleProviders(deps),
        { provide: COMET_REGISTRY, useValue: infra.registry },
        { provide: QUEUE_CONSUMER, useValue: infra.consumer },
        { provide: ONLINE_REPOSITORY, useValue: infra.online },
        { provide: READINESS, useValue: () => infra.ready() },
        JobMetrics,
        CometPool,
        RoomRoutes,
        Dispatcher,
        ConsumerService,
      ],
    };
  }
}
