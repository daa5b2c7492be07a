import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController, MetricsController, READINESS, type RoleDeps, roleProviders } from '@imgate/common';
import { COMET_REGISTRY } from '@imgate/store';
import { Buckets } from './bucket/buckets';
import type { CometConfig } from './comet.config';
import type { CometInfra } from './comet.infra';
import { COMET_CONFIG } from './comet.tokens';
import { ConnectionService } from './connection/connection.service';
import { Deadlines } from './connection/deadlines';
import { CometGrpcController } from './comet.grpc.controller';
import { DrainService } from './drain.service';
import { AckForwarder } from './logic/ack-forwarder';
import { LogicClient } from './logic/logic.client';
import { SessionRenewals } from './logic/session-renewals';
import { SessionReplay } from './logic/session-replay';
import { SessionUpdates } from './logic/session-updates';
import { CometMetrics } from './comet.metrics';
import { OnlineReporter } from './online-reporter.service';
import { PushService } from './push/push.service';
import { RegistrationService } from './registration.service';
import { ClientTls } from './transport/client-tls';
import { TcpListener } from './transport/tcp.listener';
import { KcpListener } from './transport/kcp.listener';
import { WsListener } from './transport/ws.listener';

@Module({})
export class CometModule {
  static register(deps: RoleDeps<CometConfig, CometInfra>): DynamicModule {
    const { config, infra } = deps;
    return {
      module: CometModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: COMET_CONFIG, useValue: config },
        { provide: COMET_REGISTRY, useValue: infra.registry },
        ...roleProviders(deps),
        // A draining comet is not ready: load balancers stop sending clients to it. Nor is one
        // that has never been listed in the registry (job would not deliver to it).
        {
          provide: READINESS,
          useFactory: (drain: DrainService, registration: RegistrationService) => async () => ({
            ...(await infra.ready()),
            registered: registration.registered ? true : { ok: false, reason: 'not listed in the comet registry yet' },
            accepting: drain.draining ? { ok: false, reason: 'draining' } : true,
          }),
          inject: [DrainService, RegistrationService],
        },
        DrainService,
        CometMetrics,
        Buckets,
        // Before LogicClient: its shutdown flush must start before that client closes.
        AckForwarder,
        LogicClient,
        SessionRenewals,
        SessionReplay,
        SessionUpdates,
        Deadlines,
        OnlineReporter,
        ConnectionService,
        PushService,
        CometGrpcController,
        ClientTls,
        TcpListener,
        WsListener,
        KcpListener,
        RegistrationService,
      ],
    };
  }
}
