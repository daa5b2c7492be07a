import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock, GrpcServer, identifyPeer, LOGGER, type Logger, PeerRefused, RpcError, serverCredentials, unary, type UnaryHandler } from '@imgate/common';
import { type CometHandlers, loadCometProto } from '@imgate/contracts';
import type { CometConfig } from './comet.config';
import { CometMetrics } from './comet.metrics';
import { COMET_CONFIG } from './comet.tokens';
import { PushService } from './push/push.service';

const MAX_KEYS = 100_000;

/** Binds the Comet gRPC service that job and logic call. */
@Injectable()
export class CometGrpcController implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: GrpcServer;

  constructor(
    private readonly push: PushService,
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: CometMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.server = new GrpcServer(logger, serverCredentials(config.cluster.tls));
  }

  private handlers(): CometHandlers {
    const log = this.logger;
    // Every method is for job and logic only: the caller proves it (certificate or CLUSTER_SECRET) before anything runs.
    const u = <Req, Res>(name: string, fn: UnaryHandler<Req, Res>) =>
      unary<Req, Res>(log, name, (req, call) => {
        try {
          identifyPeer(this.config.cluster, call, ['job', 'logic'], this.clock.now() / 1000);
        } catch (err) {
          if (err instanceof PeerRefused) this.metrics.peerRefused.inc({ reason: err.reason });
          throw err;
        }
        return fn(req, call);
      }, this.metrics.grpc);
    return {
      PushKeys: u('PushKeys', async (r) => {
        if (r.keys.length === 0 || r.keys.length > MAX_KEYS) throw RpcError.invalid(`keys must hold 1-${MAX_KEYS} keys`);
        return this.push.pushKeys(r.keys, r.operation, r.body, r.acceptedAtMs, r.messageId, r.positions);
      }),
      BroadcastRoom: u('BroadcastRoom', async (r) => ({
        delivered: this.push.broadcastRoom(r.room, r.operation, r.bodies, r.acceptedAtMs, r.messageIds, r.positions),
      })),
      Broadcast: u('Broadcast', async (r) => ({
        delivered: this.push.broadcast(r.operation, r.bodies, r.speed, r.acceptedAtMs, r.messageIds),
      })),
      Deliver: u('Deliver', async (r) => {
        if (r.items.length === 0 || r.items.length > 100_000) throw RpcError.invalid('items must hold 1-100000 deliveries');
        return this.push.deliver(r.items);
      }),
      Rooms: u('Rooms', async () => ({ rooms: this.push.rooms() })),
      Kick: u('Kick', async (r) => {
        if (r.keys.length === 0 && r.mids.length === 0) throw RpcError.invalid('name keys or mids to kick');
        if (r.codeName && !/^[a-z_]{1,32}$/.test(r.codeName)) throw RpcError.invalid('code_name must be 1-32 of [a-z_]');
        return { closed: this.push.kick(r.keys, r.mids, r.code, r.reason.slice(0, 200), r.codeName) };
      }),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.server.add(loadCometProto().imgate.comet.Comet.service, this.handlers());
    await this.server.listen(`0.0.0.0:${this.config.grpcPort}`);
  }

  /** After the drain: job keeps delivering to clients that have not moved until then. */
  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
