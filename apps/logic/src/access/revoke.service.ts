import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, RpcError } from '@imgate/common';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, LOGIN_REPOSITORY, REVOCATION_REPOSITORY, SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from '../session/session.repository';
import { AccessMetrics } from './access.metrics';
import { store } from './access.service';
import { addTarget, CometKicker, type KickTarget } from '../connections/comet-kicker';
import type { LoginRepository } from './login.repository';
import type { RevocationRepository } from './revocation.repository';

const JTI = /^[\x21-\x7e]{1,128}$/;

export interface RevokeRequest {
  jti?: string;
  /** With jti: when the token expires (Unix seconds), so the revocation is kept no longer. */
  exp?: number;
  mid?: number;
  /** With mid (and no jti): tokens issued before it (Unix seconds; default now). */
  before?: number;
}

/** Token revocation: stored in Redis (later auths are refused) and applied at once to live connections. */
@Injectable()
export class RevokeService {
  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(LOGIN_REPOSITORY) private readonly logins: LoginRepository,
    @Inject(REVOCATION_REPOSITORY) private readonly revocations: RevocationRepository,
    private readonly kicker: CometKicker,
    private readonly metrics: AccessMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stores the revocation, then kicks the live connections it covers (op 21 `revoked`). */
  async revoke(req: RevokeRequest): Promise<{ closed: number }> {
    const nowSec = this.clock.now() / 1000;
    const { revokeTtlSec } = this.config.access;
    if (req.mid !== undefined && (!Number.isSafeInteger(req.mid) || req.mid <= 0)) throw RpcError.invalid('mid must be a positive integer');
    let mid: number | undefined;
    let covered: (l: { jti?: string; iat: number }) => boolean;
    if (req.jti !== undefined) {
      if (!JTI.test(req.jti)) throw RpcError.invalid('jti must be 1-128 printable characters');
      const jti = req.jti;
      if (req.exp !== undefined && (!Number.isFinite(req.exp) || req.exp < 0)) throw RpcError.invalid('exp must be Unix seconds');
      const ttl = req.exp ? Math.min(revokeTtlSec, Math.max(60, Math.ceil(req.exp - nowSec) + 60)) : revokeTtlSec;
      await store('revocation store', () => this.revocations.revokeJti(jti, ttl));
      mid = (await store('login store', () => this.logins.midOfJti(jti))) ?? req.mid;
      covered = (l) => l.jti === jti;
    } else if (req.mid !== undefined) {
      if (req.before !== undefined && (!Number.isFinite(req.before) || req.before < 0)) throw RpcError.invalid('before must be Unix seconds');
      const want = req.before || nowSec;
      const userMid = req.mid;
      const before = await store('revocation store', () => this.revocations.revokeBefore(userMid, want, revokeTtlSec));
      mid = userMid;
      covered = (l) => l.iat < before;
    } else throw RpcError.invalid('give jti (and optionally exp), or mid (and optionally before)');
    if (mid === undefined) return { closed: 0 };
    const victim = mid;
    const [logins, routes] = await store('session store', () => Promise.all([this.logins.list(victim), this.sessions.keysByMids([victim])]));
    const live = routes.get(victim) ?? new Map<string, string>();
    const targets = new Map<string, KickTarget>();
    for (const [key, login] of logins) {
      const server = live.get(key);
      if (server && covered(login)) addTarget(targets, server, { keys: [key] });
    }
    const closed = await this.kicker.kickMany(targets, 'revoked', 'token revoked');
    this.metrics.kicked.inc({ code: 'revoked' }, closed);
    return { closed };
  }
}
