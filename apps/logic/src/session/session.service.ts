import { Inject, Injectable } from '@nestjs/common';
import { GrpcStatus, LOGGER, type Logger, RpcError } from '@imgate/common';
import { LogicMetrics } from '../logic.metrics';
import type { logic } from '@imgate/contracts';
import { roomStream } from '@imgate/protocol';
import { AuthService, type Identity } from '../auth/auth.service';
import { userStream } from '../delivery/stream-keys';
import type { StreamRepository } from '../delivery/stream.repository';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, SESSION_REPOSITORY, STREAM_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from './session.repository';

/** Connect, heartbeat and disconnect: the session's life in the store. */
@Injectable()
export class SessionService {
  constructor(
    private readonly auth: AuthService,
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(STREAM_REPOSITORY) private readonly streams: StreamRepository,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: LogicMetrics,
  ) {}

  async connect(server: string, token: Uint8Array, clientIp: string): Promise<logic.ConnectReply> {
    let id;
    try {
      id = await this.auth.authenticate(token);
      this.metrics.auth.inc({ result: 'ok' });
    } catch (err) {
      this.metrics.auth.inc({ result: err instanceof RpcError && err.code === GrpcStatus.UNAUTHENTICATED ? 'unauthenticated' : 'invalid' });
      throw err;
    }
    await this.sessions.add(id.mid, id.key, server, this.config.sessionTtlSec);
    this.logger.debug({ mid: id.mid, key: id.key, server, clientIp, room: id.roomId, device: id.delivery ? id.device : undefined }, 'connected');
    const reply: logic.ConnectReply = {
      mid: id.mid,
      key: id.key,
      roomId: id.roomId,
      accepts: id.accepts,
      platform: id.platform,
      heartbeatSec: this.config.heartbeatSec,
      heartbeatMinSec: this.config.heartbeatMinSec,
      heartbeatStepSec: this.config.heartbeatStepSec,
    };
    // Without the opt-in (or with streams off) the reply is goim's, unchanged.
    return id.delivery && this.config.delivery.streams ? { ...reply, delivery: true, device: id.device, heads: await this.heads(id) } : reply;
  }

  /** The current head of the client's user stream (mid > 0) and of its auth room's stream (if any). */
  private async heads(id: Identity): Promise<NonNullable<logic.ConnectReply['heads']>> {
    const names = [...(id.mid > 0 ? [userStream(id.mid)] : []), ...(id.roomId ? [roomStream(id.roomId)] : [])];
    if (names.length === 0) return [];
    let heads;
    try {
      heads = await this.streams.heads(names);
    } catch (err) {
      throw RpcError.unavailable(`message history unavailable: ${(err as Error).message}`);
    }
    return names.map((stream) => {
      const h = heads.get(stream) ?? { epoch: 0, head: 0n };
      return { stream, epoch: h.epoch, head: Number(h.head) };
    });
  }

  async disconnect(mid: number, key: string, server: string): Promise<boolean> {
    return this.sessions.remove(mid, key, server);
  }

  async heartbeat(mid: number, key: string, server: string): Promise<void> {
    const ttl = this.config.sessionTtlSec;
    // An expired session (e.g. Redis restarted) is written again, as goim does (unless just disconnected).
    if (!(await this.sessions.refresh(mid, key, server, ttl))) await this.sessions.restoreMany([{ mid, key }], server, ttl);
  }

  /**
   * A comet's batch of due refreshes (or its replay after the store came back empty): one store
   * round trip; lost sessions are written back, except ones just disconnected or now on another comet.
   */
  async renew(server: string, sessions: ReadonlyArray<{ mid: number; key: string }>): Promise<{ renewed: number; restored: number }> {
    const ttl = this.config.sessionTtlSec;
    const ok = await this.sessions.refreshMany(sessions, server, ttl);
    const lost = sessions.filter((_, i) => !ok[i]);
    const restored = await this.sessions.restoreMany(lost, server, ttl);
    return { renewed: sessions.length - lost.length, restored };
  }
}
