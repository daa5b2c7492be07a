import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HEALTH_WARNINGS, HealthController, MetricsController, READINESS, type RoleDeps, roleProviders } from '@imgate/common';
import { COMET_REGISTRY, ONLINE_REPOSITORY } from '@imgate/store';
import { QUEUE_PRODUCER } from '@imgate/queue';
import { GrpcCallers } from './api-auth/grpc-callers';
import { AccessMetrics } from './access/access.metrics';
import { AccessService } from './access/access.service';
import { AdminController } from './access/admin.http.controller';
import { JoinHook } from './access/join-hook';
import { KickService } from './access/kick.service';
import { LoginPolicy } from './access/login-policy';
import { RevokeService } from './access/revoke.service';
import { AuthService } from './auth/auth.service';
import { LogicGrpcController } from './logic.grpc.controller';
import { CometKicker } from './connections/comet-kicker';
import { CONNECTION_RECORDS } from './connections/connection-record';
import { ConnectionsController } from './connections/connections.http.controller';
import { ConnectionsService } from './connections/connections.service';
import { ResumeService } from './connections/resume.service';
import { DeliveryController } from './delivery/delivery.http.controller';
import { DeliveryService } from './delivery/delivery.service';
import { MessageIds } from './delivery/message-ids';
import { DemoController } from './demo/demo.http.controller';
import { HttpErrorsFilter } from './http/http-errors.filter';
import { type LogicConfig, securityWarnings } from './logic.config';
import type { LogicInfra } from './logic.infra';
import { ACK_REPOSITORY, IDEMPOTENCY_REPOSITORY, LOGIC_CONFIG, LOGIN_REPOSITORY, NODE_LEASE, REVOCATION_REPOSITORY, SESSION_REPOSITORY, STREAM_REPOSITORY } from './logic.tokens';
import { LogicMetrics } from './logic.metrics';
import { NodesController } from './nodes/nodes.http.controller';
import { NodesService } from './nodes/nodes.service';
import { OnlineController } from './online/online.http.controller';
import { OnlineService } from './online/online.service';
import { GoimPushController } from './push/goim-push.http.controller';
import { PushController } from './push/push.http.controller';
import { PushService } from './push/push.service';
import { SessionService } from './session/session.service';
import { SessionSweeper } from './session/session-sweeper';
import { UpstreamService } from './upstream.service';

@Module({})
export class LogicModule {
  static register(deps: RoleDeps<LogicConfig, LogicInfra>): DynamicModule {
    const { config, infra } = deps;
    return {
      module: LogicModule,
      controllers: [GoimPushController, PushController, OnlineController, NodesController, DeliveryController, ConnectionsController, AdminController, HealthController, MetricsController, DemoController],
      providers: [
        { provide: LOGIC_CONFIG, useValue: config },
        ...roleProviders(deps),
        LogicMetrics,
        { provide: SESSION_REPOSITORY, useValue: infra.sessions },
        { provide: CONNECTION_RECORDS, useValue: infra.connections },
        { provide: STREAM_REPOSITORY, useValue: infra.streams },
        { provide: ACK_REPOSITORY, useValue: infra.acks },
        { provide: IDEMPOTENCY_REPOSITORY, useValue: infra.idempotency },
        { provide: NODE_LEASE, useValue: infra.lease },
        { provide: LOGIN_REPOSITORY, useValue: infra.logins },
        { provide: REVOCATION_REPOSITORY, useValue: infra.revocations },
        { provide: QUEUE_PRODUCER, useValue: infra.producer },
        { provide: COMET_REGISTRY, useValue: infra.registry },
        { provide: ONLINE_REPOSITORY, useValue: infra.online },
        OnlineService,
        { provide: READINESS, useValue: () => infra.ready() },
        { provide: HEALTH_WARNINGS, useValue: securityWarnings(config) },
        GrpcCallers,
        { provide: APP_FILTER, useClass: HttpErrorsFilter },
        AuthService,
        CometKicker,
        ResumeService,
        ConnectionsService,
        AccessMetrics,
        JoinHook,
        LoginPolicy,
        AccessService,
        KickService,
        RevokeService,
        SessionService,
        SessionSweeper,
        MessageIds,
        PushService,
        DeliveryService,
        UpstreamService,
        NodesService,
        LogicGrpcController,
      ],
    };
  }
}
