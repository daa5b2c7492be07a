import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { GrpcServer, LOGGER, type Logger, RpcError, serverCredentials, unary, type UnaryHandler } from '@imgate/common';
import { loadLogicProto, type LogicHandlers } from '@imgate/contracts';
import { AccessService } from './access/access.service';
import { KickService } from './access/kick.service';
import { RevokeService } from './access/revoke.service';
import { GrpcCallers } from './api-auth/grpc-callers';
import { ConnectionsService } from './connections/connections.service';
import { DeliveryService } from './delivery/delivery.service';
import type { LogicConfig } from './logic.config';
import { LogicMetrics } from './logic.metrics';
import { LOGIC_CONFIG } from './logic.tokens';
import { NodesService } from './nodes/nodes.service';
import { OnlineService } from './online/online.service';
import { PushService } from './push/push.service';
import { SessionService } from './session/session.service';
import { UpstreamService } from './upstream.service';

const MAX_RENEW = 10_000;

function requireSessions(sessions: Array<{ mid: number; key: string }>): Array<{ mid: number; key: string }> {
  if (sessions.length > MAX_RENEW) throw RpcError.invalid(`at most ${MAX_RENEW} sessions per RenewSessions call (got ${sessions.length})`);
  const bad = sessions.findIndex((s) => !s.key || s.key.length > 128 || !Number.isSafeInteger(s.mid) || s.mid < 0);
  if (bad >= 0) throw RpcError.invalid(`sessions[${bad}]: a session needs a key of 1-128 characters and a mid >= 0`);
  return sessions;
}

/** Binds the Logic gRPC service: validate, call one service method, map the result. */
@Injectable()
export class LogicGrpcController implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly server: GrpcServer;

  constructor(
    private readonly sessions: SessionService,
    private readonly push: PushService,
    private readonly upstream: UpstreamService,
    private readonly nodes: NodesService,
    private readonly online: OnlineService,
    private readonly delivery: DeliveryService,
    private readonly access: AccessService,
    private readonly kicks: KickService,
    private readonly revocations: RevokeService,
    private readonly connections: ConnectionsService,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: LogicMetrics,
    private readonly callers: GrpcCallers,
  ) {
    this.server = new GrpcServer(logger, serverCredentials(config.cluster.tls));
  }

  private handlers(): LogicHandlers {
    const log = this.logger;
    const u = <Req, Res>(name: string, fn: UnaryHandler<Req, Res>) => unary(log, name, fn, this.metrics.grpc);
    // Comet-only methods name the calling comet as the one it proved; push and read methods need the API key.
    const comet = this.callers.comet.bind(this.callers);
    const api = this.callers.api.bind(this.callers);
    return {
      Connect: u('Connect', (r, c) =>
        this.sessions.connect(comet(c, r.server), r.token, { clientIp: r.clientIp.slice(0, 64), clientPort: r.clientPort, transport: r.transport.slice(0, 8) }),
      ),
      Disconnect: u('Disconnect', async (r, c) => ({ has: await this.sessions.disconnect(r.mid, r.key, comet(c, r.server)) })),
      Heartbeat: u('Heartbeat', async (r, c) => {
        await this.sessions.heartbeat(r.mid, r.key, comet(c, r.server));
        return { online: r.roomId ? this.online.roomCount(r.roomId) : 0 };
      }),
      RenewSessions: u('RenewSessions', (r, c) => this.sessions.renew(comet(c, r.server), requireSessions(r.sessions))),
      RenewOnline: u('RenewOnline', async (r, c) => ({
        allRoomCount: await this.online.renew(comet(c, r.server), r.roomCount, r.connCount, r.ipCount),
      })),
      JoinRooms: u('JoinRooms', async (r, c) => {
        await this.online.joinRooms(comet(c, r.server), r.rooms);
        return {};
      }),
      Receive: u('Receive', (r, c) => this.upstream.receive({ ...r, server: comet(c, r.server) })),
      Sync: u('Sync', (r, c) => {
        comet(c, r.server);
        return this.delivery.sync({ mid: r.mid, streams: r.streams, limit: r.limit });
      }),
      Ack: u('Ack', (r, c) => {
        comet(c, r.server);
        return this.delivery.ack(r.acks);
      }),
      UpdateSessions: u('UpdateSessions', async (r, c) => ({ updated: await this.connections.update(comet(c, r.server), r.sessions) })),
      AuthorizeJoin: u('AuthorizeJoin', async (r, c) => {
        comet(c, r.server);
        if (!/^[\x21-\x7e]{1,128}$/.test(r.room)) throw RpcError.invalid('room must be 1-128 printable characters');
        const { allow, reason } = await this.access.authorizeJoin({ mid: r.mid, key: r.key, room: r.room, platform: r.platform });
        return { allow, reason };
      }),
      PushRoom: u('PushRoom', (r, c) => {
        api(c);
        return this.push.pushRoom(r.room, r.operation, r.body, r.idempotencyKey);
      }),
      PushAll: u('PushAll', (r, c) => {
        api(c);
        return this.push.pushAll(r.operation, r.speed, r.body, r.idempotencyKey);
      }),
      PushKeys: u('PushKeys', (r, c) => {
        api(c);
        return this.push.pushKeys(r.keys, r.operation, r.body, r.idempotencyKey);
      }),
      PushMids: u('PushMids', (r, c) => {
        api(c);
        return this.push.pushMids(r.mids, r.operation, r.body, r.idempotencyKey);
      }),
      Delivery: u('Delivery', (r, c) => {
        api(c);
        return this.delivery.delivery(r.mid);
      }),
      Kick: u('Kick', (r, c) => {
        api(c);
        return this.kicks.kick(r.mids, r.keys, r.reason);
      }),
      Revoke: u('Revoke', (r, c) => {
        api(c);
        return this.revocations.revoke({ jti: r.jti || undefined, exp: r.exp || undefined, mid: r.mid || undefined, before: r.before || undefined });
      }),
      Connections: u('Connections', async (r, c) => {
        api(c);
        return { connections: await this.connections.list(r.mids) };
      }),
      Nodes: u('Nodes', async (_r, c) => {
        api(c);
        return {
          nodes: (await this.nodes.list()).map((n) => ({ id: n.id, ws: n.ws, tcp: n.tcp, weight: n.weight, connections: n.connections, wss: n.wss, tls: n.tls, kcp: n.kcp })),
        };
      }),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.server.add(loadLogicProto().imgate.logic.Logic.service, this.handlers());
    await this.server.listen(this.config.grpcAddress);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
