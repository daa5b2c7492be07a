import { Inject, Injectable } from '@nestjs/common';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, LOGIN_REPOSITORY, SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from '../session/session.repository';
import { AccessMetrics } from './access.metrics';
import { addTarget, CometKicker, type KickTarget } from '../connections/comet-kicker';
import type { LoginRepository } from './login.repository';

/**
 * Multi-login: with LOGIC_ONE_PER_PLATFORM the newest connection of a (user, platform) wins and the
 * older ones are kicked (`login_elsewhere`); past LOGIC_MAX_CONNS_PER_MID the oldest are kicked
 * (`too_many_connections`) — the newcomer is never the one refused, so a user who lost a device
 * can always log in again. Connections without a platform only count toward the cap.
 */
@Injectable()
export class LoginPolicy {
  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGIN_REPOSITORY) private readonly logins: LoginRepository,
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    private readonly kicker: CometKicker,
    private readonly metrics: AccessMetrics,
  ) {}

  /** The newcomer `key` (connected at `at`) only ever kicks connections older than itself. */
  async apply(mid: number, key: string, platform: string, at: number): Promise<void> {
    const { onePerPlatform, maxConnsPerMid } = this.config.access;
    if (!onePerPlatform && maxConnsPerMid === 0) return;
    const [logins, routes] = await Promise.all([this.logins.list(mid), this.sessions.keysByMids([mid])]);
    const live = routes.get(mid) ?? new Map<string, string>();
    // Records whose session is gone are stale; the newcomer stays whatever happens. Only older
    // connections count: two logins racing each other do not kick each other (the newer one wins).
    const older = (k: string, t: number) => t < at || (t === at && k < key);
    const others = [...logins]
      .filter(([k, l]) => k !== key && live.has(k) && older(k, l.at))
      .map(([k, l]) => ({ key: k, server: live.get(k)!, platform: l.platform, at: l.at }))
      .sort((a, b) => a.at - b.at);
    // A connection that names no platform (goim's clients often do not) is never "the same platform".
    const elsewhere = onePerPlatform && platform !== '' ? others.filter((o) => o.platform === platform) : [];
    const rest = others.filter((o) => !elsewhere.includes(o));
    const over = maxConnsPerMid > 0 ? Math.max(0, rest.length + 1 - maxConnsPerMid) : 0;
    await Promise.all([
      this.kick(elsewhere, 'login_elsewhere', `logged in again on platform "${platform}"`),
      this.kick(rest.slice(0, over), 'too_many_connections', `user ${mid} has more than ${maxConnsPerMid} connections: the oldest is closed`),
    ]);
  }

  private async kick(victims: Array<{ key: string; server: string }>, kind: string, reason: string): Promise<void> {
    if (victims.length === 0) return;
    const targets = new Map<string, KickTarget>();
    for (const v of victims) addTarget(targets, v.server, { keys: [v.key] });
    this.metrics.kicked.inc({ code: kind }, await this.kicker.kickMany(targets, kind, reason));
  }
}
