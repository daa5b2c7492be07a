import pino from 'pino';
import { type Clock, createMetricsRegistry } from '@imgate/common';
import { MemoryCometRegistry } from '@imgate/store';
import type { LogicConfig } from '../logic.config';
import type { SessionRepository } from '../session/session.repository';
import { AccessMetrics } from './access.metrics';
import { AccessService } from './access.service';
import { CometKicker, type KickTarget } from '../connections/comet-kicker';
import { JoinHook } from './join-hook';
import { KickService } from './kick.service';
import { LoginPolicy } from './login-policy';
import { MemoryLoginRepository } from './memory-login.repository';
import { MemoryRevocationRepository } from './revocation.repository';
import { RevokeService } from './revoke.service';

export interface Kicked {
  server: string;
  keys: string[];
  mids: number[];
  kind: string;
  reason: string;
}

/** Access control over in-memory stores, with a kicker that records instead of calling comets (unit specs). */
export function accessFixture(config: LogicConfig, clock: Clock, sessions: SessionRepository) {
  const logger = pino({ level: 'silent' });
  const metrics = new AccessMetrics(createMetricsRegistry());
  const logins = new MemoryLoginRepository(clock);
  const revocations = new MemoryRevocationRepository(clock);
  const kicked: Kicked[] = [];
  const kicker = new CometKicker(new MemoryCometRegistry(60_000, clock), logger, config);
  kicker.kickMany = async (targets: ReadonlyMap<string, KickTarget>, kind: string, reason: string) => {
    for (const [server, t] of targets) kicked.push({ server, ...t, kind, reason });
    return [...targets.values()].reduce((n, t) => n + t.keys.length + t.mids.length, 0);
  };
  const policy = new LoginPolicy(config, logins, sessions, kicker, metrics);
  const access = new AccessService(config, logins, revocations, new JoinHook(config, clock, logger), policy, metrics, clock, logger);
  const kicks = new KickService(config, sessions, kicker, metrics);
  const revoke = new RevokeService(config, sessions, logins, revocations, kicker, metrics, clock);
  return { access, kicks, revoke, policy, kicked, logins, revocations };
}
