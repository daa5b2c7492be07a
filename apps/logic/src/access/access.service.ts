import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, GrpcStatus, LOGGER, type Logger, RpcError } from '@imgate/common';
import type { logic } from '@imgate/contracts';
import type { Identity } from '../auth/auth.service';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, LOGIN_REPOSITORY, REVOCATION_REPOSITORY } from '../logic.tokens';
import { AccessMetrics } from './access.metrics';
import { JoinHook, JoinHookError } from './join-hook';
import type { LoginRepository } from './login.repository';
import { LoginPolicy } from './login-policy';
import { checkAuthRequest, permissionsFor } from './permissions';
import type { RevocationRepository } from './revocation.repository';

/** Runs a store call, turning a store failure into UNAVAILABLE (retryable) rather than a refusal. */
export async function store<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RpcError) throw err;
    throw RpcError.unavailable(`${what} unavailable: ${(err as Error).message}`);
  }
}

/** Access control around a session's life: permissions and the join hook at auth, revocation, login records. */
@Injectable()
export class AccessService {
  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGIN_REPOSITORY) private readonly logins: LoginRepository,
    @Inject(REVOCATION_REPOSITORY) private readonly revocations: RevocationRepository,
    private readonly hook: JoinHook,
    private readonly policy: LoginPolicy,
    private readonly metrics: AccessMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Before the session is written: the permissions, which the auth room and accepts must fit (and the hook allow). */
  async admit(id: Identity): Promise<logic.Permissions | undefined> {
    const permissions = permissionsFor(id.token, this.config.access);
    try {
      checkAuthRequest(permissions, id.roomId, id.accepts);
    } catch (err) {
      this.metrics.refused.inc({ reason: 'permissions' });
      throw err;
    }
    if (id.roomId && this.hook.enabled) {
      const d = await this.authorizeJoin({ mid: id.mid, key: id.key, room: id.roomId, platform: id.platform });
      if (!d.allow) {
        this.metrics.refused.inc({ reason: 'hook' });
        // A hook that could not be asked is a dependency failure: the client retries later.
        if (d.unavailable) throw RpcError.unavailable(d.reason);
        throw new RpcError(GrpcStatus.PERMISSION_DENIED, d.reason);
      }
    }
    return permissions;
  }

  /**
   * After the session is written: its login record, then the revocation check, then the
   * multi-login policy, whose kicks run in the background. The check is sent after the write on the
   * same connection (one round trip, executed in order), so a revocation racing this auth either
   * finds the record or is found here.
   */
  async record(id: Identity, server: string): Promise<void> {
    const ttl = this.config.sessionTtlSec;
    let written: Promise<void> = Promise.resolve();
    const at = this.clock.now();
    if (id.mid > 0) {
      // The jti index outlives the token by a session TTL, so a revocation finds connections that outlived it briefly.
      const exp = id.token?.exp ?? 0;
      const jtiTtl = exp > 0 ? Math.max(1, Math.ceil(exp - this.clock.now() / 1000)) + ttl : this.config.access.revokeTtlSec;
      written = store('login store', () =>
        this.logins.add(id.mid, id.key, { server, platform: id.platform, jti: id.token?.jti, iat: id.token?.iat ?? 0, at }, ttl, jtiTtl),
      );
    }
    const revoked = id.token ? this.revoked(id.mid, id.token.jti, id.token.iat) : Promise.resolve(undefined);
    const [, reason] = await Promise.all([written, revoked]);
    if (reason) {
      this.metrics.refused.inc({ reason: 'revoked' });
      if (id.mid > 0) await this.logins.remove(id.mid, id.key).catch(() => undefined);
      throw RpcError.unauthenticated(reason);
    }
    if (id.mid > 0) {
      this.policy.apply(id.mid, id.key, id.platform, at).catch((err: unknown) => this.logger.warn({ mid: id.mid, err: (err as Error).message }, 'multi-login policy not applied'));
    }
  }

  /** A reason when the token is revoked, else undefined. */
  async revoked(mid: number, jti: string | undefined, iat: number): Promise<string | undefined> {
    const s = await store('revocation store', () => this.revocations.status(mid, jti));
    if (s.jti) return 'token revoked';
    if (iat < s.before) return `token revoked: user ${mid}'s tokens issued before ${new Date(s.before * 1000).toISOString()} are no longer accepted`;
    return undefined;
  }

  /** The session ended: its login record goes too. */
  async forget(mid: number, key: string): Promise<void> {
    if (mid > 0) await this.logins.remove(mid, key);
  }

  /** Sessions were refreshed: their login records live as long. */
  async touch(mids: readonly number[]): Promise<void> {
    const live = mids.filter((m) => m > 0);
    if (live.length) await this.logins.touch(live, this.config.sessionTtlSec);
  }

  /** The join hook's decision (allowed when there is no hook); a hook that cannot be asked refuses. */
  async authorizeJoin(req: { mid: number; key: string; room: string; platform: string }): Promise<{ allow: boolean; reason: string; unavailable?: boolean }> {
    if (!this.hook.enabled) return { allow: true, reason: '' };
    try {
      const d = await this.hook.decide(req);
      this.metrics.joinHook.inc({ result: d.allow ? 'allow' : 'deny' });
      return d.allow ? d : { allow: false, reason: d.reason || `the join hook refused room ${req.room}` };
    } catch (err) {
      if (!(err instanceof JoinHookError)) throw err;
      this.metrics.joinHook.inc({ result: 'error' });
      return { allow: false, reason: `${err.message}: room ${req.room} refused (fail closed)`, unavailable: true };
    }
  }
}
