import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock, LOGGER, type Logger } from '@imgate/common';
import { COMET_REGISTRY, type CometRegistry, ONLINE_REPOSITORY, type OnlineRepository } from '@imgate/store';
import type { LogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { LOGIC_CONFIG, SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from './session.repository';

/**
 * Clean state after a comet crash: every LOGIC_SWEEP_MS, the comets that have sessions in the
 * store but are no longer live in the registry (REGISTRY_TTL_MS without an announcement) lose
 * their sessions, their users' entries and their online counts, and their stale registry entry.
 * Leader-free and idempotent: every logic instance sweeps (with jitter); every step is a
 * compare-and-delete, so two sweeps of one comet do the work once. A comet that was only cut off
 * finds its entry gone at its next announcement and writes its sessions back (SessionReplay).
 * A comet restarted under the same id is live again at once, so it is told by its incarnation
 * (`boot` in its registry entry): the sessions written before that process started are its
 * predecessor's and are removed the same way, once per incarnation.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(ONLINE_REPOSITORY) private readonly online: OnlineRepository,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: LogicMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepMs === 0) return;
    const schedule = () => {
      this.timer = setTimeout(() => void this.sweep().finally(schedule), this.config.sweepMs * (0.75 + Math.random() / 2));
      this.timer.unref();
    };
    schedule();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass; returns the comets swept. Failures (store away) are logged and retried next pass. */
  async sweep(): Promise<string[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const [servers, live, cleaned] = await Promise.all([this.sessions.sessionServers(), this.registry.list(), this.sessions.cleanedBoots()]);
      const liveIds = new Set(live.map((n) => n.id));
      const gone = servers.filter((s) => !liveIds.has(s));
      for (const server of gone) {
        const started = this.clock.now();
        const removed = await this.sessions.purgeServer(server);
        await this.online.remove(server);
        await this.registry.deregister(server);
        this.metrics.sweptSessions.inc(removed);
        this.logger.warn({ comet: server, sessions: removed, ms: this.clock.now() - started }, 'comet left the registry: removed its sessions and online counts');
      }
      const noted = new Set(servers);
      for (const n of live) {
        if (!n.boot || !n.bootAt || !noted.has(n.id) || cleaned.get(n.id) === n.boot) continue;
        const started = this.clock.now();
        const removed = await this.sessions.purgeBefore(n.id, n.bootAt, n.boot);
        this.metrics.sweptSessions.inc(removed);
        if (removed) this.logger.warn({ comet: n.id, boot: n.boot, sessions: removed, ms: this.clock.now() - started }, 'comet restarted under the same id: removed the sessions of its earlier process');
      }
      return gone;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'session sweep failed; next pass retries');
      return [];
    } finally {
      this.running = false;
    }
  }
}
