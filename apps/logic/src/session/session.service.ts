import { Inject, Injectable } from '@nestjs/common';
import { GrpcStatus, LOGGER, type Logger, RpcError } from '@imgate/common';
import { LogicMetrics } from '../logic.metrics';
import type { logic } from '@imgate/contracts';
import { AuthService } from '../auth/auth.service';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from './session.repository';

/** Connect, heartbeat and disconnect: the session's life in the store. */
@Injectable()
export class SessionService {
  constructor(
    private readonly auth: AuthService,
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
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
    this.logger.debug({ mid: id.mid, key: id.key, server, clientIp, room: id.roomId }, 'connected');
    return {
      mid: id.mid,
      key: id.key,
      roomId: id.roomId,
      accepts: id.accepts,
      platform: id.platform,
      heartbeatSec: this.config.heartbeatSec,
      heartbeatMinSec: this.config.heartbeatMinSec,
      heartbeatStepSec: this.config.heartbeatStepSec,
    };
  }

  async disconnect(mid: number, key: string, server: string): Promise<boolean> {
    return this.sessions.remove(mid, key, server);
  }

  async heartbeat(mid: number, key: string, server: string): Promise<void> {
    const ttl = this.config.sessionTtlSec;
    // An expired session (e.g. Redis restarted) is written again, as goim does.
    if (!(await this.sessions.refresh(mid, key, server, ttl))) await this.sessions.add(mid, key, server, ttl);
  }

  /** A comet's batch of due refreshes: one store round trip; expired sessions are written again. */
  async renew(server: string, sessions: ReadonlyArray<{ mid: number; key: string }>): Promise<{ renewed: number; restored: number }> {
    const ttl = this.config.sessionTtlSec;
    const ok = await this.sessions.refreshMany(sessions, server, ttl);
    const lost = sessions.filter((_, i) => !ok[i]);
    await Promise.all(lost.map((s) => this.sessions.add(s.mid, s.key, server, ttl)));
    return { renewed: sessions.length - lost.length, restored: lost.length };
  }
}
