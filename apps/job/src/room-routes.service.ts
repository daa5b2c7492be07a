import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { COMET_REGISTRY, type CometRegistry, ONLINE_REPOSITORY, type OnlineRepository } from '@imgate/store';
import { LOGGER, type Logger } from '@imgate/common';
import type { JobConfig } from './job.config';
import { JOB_CONFIG } from './job.tokens';

/**
 * Which comets hold members of which room, so a room message goes only where it is needed.
 * Rebuilt from every comet's online snapshot each interval; a room's first member on a comet
 * arrives as an event in between, so joins take effect at once.
 */
@Injectable()
export class RoomRoutes implements OnApplicationBootstrap, OnApplicationShutdown {
  private servers = new Map<string, Set<string>>();
  private timer?: NodeJS.Timeout;
  /** Join events of the last few seconds, applied again over each rebuilt map (it may predate them). */
  private recent: Array<{ server: string; room: string; at: number }> = [];

  constructor(
    @Inject(ONLINE_REPOSITORY) private readonly online: OnlineRepository,
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(JOB_CONFIG) private readonly config: JobConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  serversOf(room: string): ReadonlySet<string> {
    return this.servers.get(room) ?? new Set();
  }

  private add(server: string, room: string): void {
    let set = this.servers.get(room);
    if (!set) this.servers.set(room, (set = new Set()));
    set.add(server);
  }

  async refresh(): Promise<void> {
    const ids = (await this.registry.list()).map((n) => n.id);
    const snapshots = await this.online.read(ids);
    const next = new Map<string, Set<string>>();
    for (const [server, s] of snapshots) {
      for (const room of s.rooms.keys()) {
        let set = next.get(room);
        if (!set) next.set(room, (set = new Set()));
        set.add(server);
      }
    }
    this.servers = next;
    const since = Date.now() - 5_000;
    this.recent = this.recent.filter((e) => e.at >= since);
    for (const e of this.recent) this.add(e.server, e.room);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.online.onRoomsAdded((server, rooms) => {
      const at = Date.now();
      for (const room of rooms) {
        this.add(server, room);
        this.recent.push({ server, room, at });
      }
    });
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'room map refresh failed'));
    }, this.config.roomRefreshMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.online.close();
  }
}
