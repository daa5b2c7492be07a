import { Inject, Injectable } from '@nestjs/common';
import { GrpcStatus, LOGGER, type Logger, RpcError } from '@imgate/common';
import { LogicMetrics } from '../logic.metrics';
import type { logic } from '@imgate/contracts';
import { roomStream } from '@imgate/protocol';
import { AccessService } from '../access/access.service';
import { AuthService, type Identity } from '../auth/auth.service';
import { type Resumed, ResumeService } from '../connections/resume.service';
import { userStream } from '../delivery/stream-keys';
import type { StreamRepository } from '../delivery/stream.repository';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, SESSION_REPOSITORY, STREAM_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from './session.repository';

/** Where the comet saw the client come from. */
export interface ClientAddress {
  clientIp: string;
  clientPort: number;
  transport: string;
}

function unavailable(err: unknown): never {
  throw RpcError.unavailable(`session store unavailable: ${(err as Error).message}`);
}

function restoredIdentity(id: Identity, r: Resumed): Identity {
  const { record } = r;
  return { ...id, key: record.key, roomId: record.roomId, accepts: record.accepts, platform: record.platform, delivery: record.delivery, device: record.device || id.device };
}

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
    private readonly resume: ResumeService,
    private readonly access: AccessService,
  ) {}

  async connect(server: string, token: Uint8Array, client: ClientAddress): Promise<logic.ConnectReply> {
    let id;
    try {
      id = await this.auth.authenticate(token);
      this.metrics.auth.inc({ result: 'ok' });
    } catch (err) {
      this.metrics.auth.inc({ result: err instanceof RpcError && err.code === GrpcStatus.UNAUTHENTICATED ? 'unauthenticated' : 'invalid' });
      throw err;
    }
    const resumed = id.resume ? await this.resume.claim(id.resume, id.mid).catch(unavailable) : null;
    // A resumed session is the earlier one: its key, rooms and accepts, whatever this body asked for.
    if (resumed) id = restoredIdentity(id, resumed);
    // Access control sees the identity as it will be (a resumed one keeps its rooms and accepts).
    const permissions = await this.access.admit(id);
    // The route and the record are independent writes: one round trip, not two.
    const [, resumeToken] = await Promise.all([
      this.sessions.add(id.mid, id.key, server, this.config.sessionTtlSec),
      this.resume.record(
        {
          mid: id.mid,
          key: id.key,
          server,
          transport: client.transport,
          ip: client.clientIp,
          port: client.clientPort,
          platform: id.platform,
          connectedAtMs: Date.now(),
          roomId: id.roomId,
          rooms: resumed?.record.rooms ?? [],
          accepts: id.accepts,
          delivery: id.delivery,
          device: id.device,
          resumed: resumed !== null,
        },
        resumed?.secret,
      ).catch(unavailable),
    ]);
    try {
      await this.access.record(id, server);
    } catch (err) {
      await this.sessions.remove(id.mid, id.key, server).catch(() => undefined);
      throw err;
    }
    if (resumed) this.resume.replaceOld(resumed.record, server);
    this.logger.debug({ mid: id.mid, key: id.key, server, clientIp: client.clientIp, room: id.roomId, device: id.delivery ? id.device : undefined, resumed: resumed !== null }, 'connected');
    const reply: logic.ConnectReply = {
      mid: id.mid,
      key: id.key,
      roomId: id.roomId,
      accepts: id.accepts,
      platform: id.platform,
      heartbeatSec: this.config.heartbeatSec,
      heartbeatMinSec: this.config.heartbeatMinSec,
      heartbeatStepSec: this.config.heartbeatStepSec,
      ...(resumeToken ? { resume: resumeToken, resumeTtlSec: this.resume.windowSec } : {}),
      ...(resumed ? { resumed: true, rooms: resumed.record.rooms, held: resumed.held } : {}),
      ...(permissions ? { permissions } : {}),
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
    // Released first: once the route is gone, a push by key finds the record ready to hold it.
    await this.resume.release(key, server);
    const had = await this.sessions.remove(mid, key, server);
    // Only when it was this comet's session: a newer one elsewhere (a resume) keeps its login record.
    if (had) await this.access.forget(mid, key).catch(() => undefined);
    return had;
  }

  async heartbeat(mid: number, key: string, server: string): Promise<void> {
    const ttl = this.config.sessionTtlSec;
    // An expired session (e.g. Redis restarted) is written again, as goim does, unless it was just
    // disconnected (tombstone) or resumed on another comet.
    if (!(await this.sessions.refresh(mid, key, server, ttl)) && (await this.resume.movedAway([key], server)).size === 0) await this.sessions.restoreMany([{ mid, key }], server, ttl);
    await this.resume.refresh([key], server);
    await this.access.touch([mid]);
  }

  /**
   * A comet's batch of due refreshes (or its replay after the store came back empty): one store
   * round trip; lost sessions are written back, except ones just disconnected or now on another comet.
   */
  async renew(server: string, sessions: ReadonlyArray<{ mid: number; key: string }>): Promise<{ renewed: number; restored: number }> {
    const ttl = this.config.sessionTtlSec;
    const [ok] = await Promise.all([this.sessions.refreshMany(sessions, server, ttl), this.resume.refresh(sessions.map((s) => s.key), server), this.access.touch(sessions.map((s) => s.mid))]);
    const missing = sessions.filter((_, i) => !ok[i]);
    // A session resumed on another comet is not this comet's to write back (its old connection is being closed).
    const moved = missing.length ? await this.resume.movedAway(missing.map((s) => s.key), server) : new Set<string>();
    const lost = moved.size ? missing.filter((s) => !moved.has(s.key)) : missing;
    // Compare-and-set: never one just disconnected (tombstone), never one another comet holds.
    const restored = await this.sessions.restoreMany(lost, server, ttl);
    return { renewed: sessions.length - missing.length, restored };
  }
}
