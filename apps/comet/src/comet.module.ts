import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock, COMET_REGISTRY, type CometRegistry, HealthController, LOGGER, type Logger, METRICS, MetricsController, type MetricsRegistry, READINESS, type ReadinessCheck } from '@imgate/common';
import { Buckets } from './bucket/buckets';
import type { CometConfig } from './comet.config';
import { COMET_CONFIG } from './comet.tokens';
import { ConnectionService } from './connection/connection.service';
import { Deadlines } from './connection/deadlines';
import { CometGrpcController } from './grpc/comet.grpc.controller';
import { DrainService } from './lifecycle/drain.service';
import { LogicClient } from './logic/logic.client';
import { SessionRenewals } from './logic/session-renewals';
import { CometMetrics } from './metrics/comet.metrics';
import { OnlineReporter } from './online/online-reporter.service';
import { PushService } from './push/push.service';
import { RegistrationService } from './registry/registration.service';
import { TcpListener } from './transport/tcp.listener';
import { KcpListener } from './transport/kcp.listener';
import { WsListener } from './transport/ws.listener';

export interface CometDeps {
  registry: CometRegistry;
  metrics: MetricsRegistry;
  logger: Logger;
  clock: Clock;
  ready: ReadinessCheck;
  /** Closes the stores after everything else stopped. */
  stop: () => Promise<void>;
}

const COMET_DEPS = Symbol('COMET_DEPS');

class DepsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(COMET_DEPS) private readonly deps: CometDeps) {}
  onApplicationShutdown(): Promise<void> {
    return this.deps.stop();
  }
}

@Module({})
export class CometModule {
  static register(config: CometConfig, deps: CometDeps): DynamicModule {
    return {
      module: CometModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: COMET_CONFIG, useValue: config },
        { provide: COMET_REGISTRY, useValue: deps.registry },
        { provide: METRICS, useValue: deps.metrics },
        { provide: LOGGER, useValue: deps.logger },
        { provide: CLOCK, useValue: deps.clock },
        // A draining comet is not ready: load balancers stop sending clients to it.
        { provide: READINESS, useFactory: (drain: DrainService) => async () => ({ ...(await deps.ready()), accepting: !drain.draining }), inject: [DrainService] },
        DrainService,
        { provide: COMET_DEPS, useValue: deps },
        DepsLifecycle,
        CometMetrics,
        Buckets,
        LogicClient,
        SessionRenewals,
        Deadlines,
        OnlineReporter,
        ConnectionService,
        PushService,
        CometGrpcController,
        TcpListener,
        WsListener,
        KcpListener,
        RegistrationService,
      ],
    };
  }
}
