import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CLOCK, type Clock, COMET_REGISTRY, HealthController, LOGGER, type Logger, METRICS, MetricsController, type MetricsRegistry, ONLINE_REPOSITORY, QUEUE_PRODUCER, READINESS } from '@imgate/common';
import { AuthService } from './auth/auth.service';
import { LogicGrpcController } from './grpc/logic.grpc.controller';
import { DemoController } from './demo/demo.http.controller';
import { HttpErrorsFilter } from './http/http-errors.filter';
import type { LogicConfig } from './logic.config';
import type { LogicInfra } from './logic.infra';
import { LOGIC_CONFIG, SESSION_REPOSITORY } from './logic.tokens';
import { LogicMetrics } from './metrics/logic.metrics';
import { NodesController } from './nodes/nodes.http.controller';
import { NodesService } from './nodes/nodes.service';
import { OnlineController } from './online/online.http.controller';
import { OnlineService } from './online/online.service';
import { GoimPushController } from './push/goim-push.http.controller';
import { PushController } from './push/push.http.controller';
import { PushService } from './push/push.service';
import { SessionService } from './session/session.service';
import { UpstreamService } from './upstream/upstream.service';

const LOGIC_INFRA = Symbol('LOGIC_INFRA');

/** Starts the stores before anything serves and stops them after everything stopped serving. */
class InfraLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(LOGIC_INFRA) private readonly infra: LogicInfra) {}
  onModuleInit(): Promise<void> {
    return this.infra.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.infra.stop();
  }
}

@Module({})
export class LogicModule {
  static register(config: LogicConfig, infra: LogicInfra, logger: Logger, clock: Clock, metrics: MetricsRegistry): DynamicModule {
    return {
      module: LogicModule,
      controllers: [GoimPushController, PushController, OnlineController, NodesController, HealthController, MetricsController, DemoController],
      providers: [
        { provide: LOGIC_CONFIG, useValue: config },
        { provide: LOGIC_INFRA, useValue: infra },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        { provide: METRICS, useValue: metrics },
        LogicMetrics,
        { provide: SESSION_REPOSITORY, useValue: infra.sessions },
        { provide: QUEUE_PRODUCER, useValue: infra.producer },
        { provide: COMET_REGISTRY, useValue: infra.registry },
        { provide: ONLINE_REPOSITORY, useValue: infra.online },
        OnlineService,
        { provide: READINESS, useValue: () => infra.ready() },
        { provide: APP_FILTER, useClass: HttpErrorsFilter },
        InfraLifecycle,
        AuthService,
        SessionService,
        PushService,
        UpstreamService,
        NodesService,
        LogicGrpcController,
      ],
    };
  }
}
