import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { GrpcServer, LOGGER, type Logger, RpcError, unary } from '@imgate/common';
import { loadLogicProto, type LogicHandlers } from '@imgate/contracts';
import { AccessService } from './access/access.service';
import { KickService } from './access/kick.service';
import { RevokeService } from './access/revoke.service';
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

const SERVER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

function requireServer(server: string): string {
  if (!SERVER_ID.test(server)) throw RpcError.invalid('server must be a comet id of 1-128 of [A-Za-z0-9_.:-]');
  return server;
}

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
  ) {
    this.server = new GrpcServer(logger);
  }

  private handlers(): LogicHandlers {
    const log = this.logger;
    const u = <Req, Res>(name: string, fn: (req: Req) => Promise<Res>) => unary(log, name, fn, this.metrics.grpc);
    return {
      Connect: u('Connect', (r) =>
        this.sessions.connect(requireServer(r.server), r.token, { clientIp: r.clientIp.slice(0, 64), clientPort: r.clientPort, transport: r.transport.slice(0, 8) }),
      ),
      Disconnect: u('Disconnect', async (r) => ({ has: await this.sessions.disconnect(r.mid, r.key, requireServer(r.server)) })),
      Heartbeat: u('Heartbeat', async (r) => {
        await this.sessions.heartbeat(r.mid, r.key, requireServer(r.server));
        return { online: r.roomId ? this.online.roomCount(r.roomId) : 0 };
      }),
      RenewSessions: u('RenewSessions', (r) => this.sessions.renew(requireServer(r.server), requireSessions(r.sessions))),
      RenewOnline: u('RenewOnline', async (r) => ({
        allRoomCount: await this.online.renew(requireServer(r.server), r.roomCount, r.connCount, r.ipCount),
      })),
      JoinRooms: u('JoinRooms', async (r) => {
        await this.online.joinRooms(requireServer(r.server), r.rooms);
        return {};
      }),
      PushRoom: u('PushRoom', (r) => this.push.pushRoom(r.room, r.operation, r.body, r.idempotencyKey)),
      PushAll: u('PushAll', (r) => this.push.pushAll(r.operation, r.speed, r.body, r.idempotencyKey)),
      Receive: u('Receive', (r) => this.upstream.receive({ ...r, server: requireServer(r.server) })),
      PushKeys: u('PushKeys', (r) => this.push.pushKeys(r.keys, r.operation, r.body, r.idempotencyKey)),
      PushMids: u('PushMids', (r) => this.push.pushMids(r.mids, r.operation, r.body, r.idempotencyKey)),
      Sync: u('Sync', (r) => {
        requireServer(r.server);
        return this.delivery.sync({ mid: r.mid, streams: r.streams, limit: r.limit });
      }),
      Ack: u('Ack', (r) => {
        requireServer(r.server);
        return this.delivery.ack(r.acks);
      }),
      Delivery: u('Delivery', (r) => this.delivery.delivery(r.mid)),
      AuthorizeJoin: u('AuthorizeJoin', async (r) => {
        requireServer(r.server);
        if (!/^[\x21-\x7e]{1,128}$/.test(r.room)) throw RpcError.invalid('room must be 1-128 printable characters');
        const { allow, reason } = await this.access.authorizeJoin({ mid: r.mid, key: r.key, room: r.room, platform: r.platform });
        return { allow, reason };
      }),
      Kick: u('Kick', (r) => this.kicks.kick(r.mids, r.keys, r.reason)),
      Revoke: u('Revoke', (r) =>
        this.revocations.revoke({ jti: r.jti || undefined, exp: r.exp || undefined, mid: r.mid || undefined, before: r.before || undefined }),
      ),
      UpdateSessions: u('UpdateSessions', async (r) => ({ updated: await this.connections.update(requireServer(r.server), r.sessions) })),
      Connections: u('Connections', async (r) => ({ connections: await this.connections.list(r.mids) })),
      Nodes: u('Nodes', async () => ({
        nodes: (await this.nodes.list()).map((n) => ({ id: n.id, ws: n.ws, tcp: n.tcp, weight: n.weight, connections: n.connections })),
      })),
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
