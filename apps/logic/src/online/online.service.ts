import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { COMET_REGISTRY, type CometRegistry, ONLINE_REPOSITORY, type OnlineRepository, type OnlineSnapshot } from '@imgate/store';
import { LOGGER, type Logger, RpcError } from '@imgate/common';
import type { LogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { LOGIC_CONFIG } from '../logic.tokens';

const ROOM = /^[\x21-\x7e]{1,128}$/;

/**
 * Cluster-wide online counts (goim's RenewOnline): comets report per-room member counts; logic
 * keeps each comet's snapshot in the store and a cached view of all of them for reads.
 */
@Injectable()
export class OnlineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private snapshots = new Map<string, OnlineSnapshot>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ONLINE_REPOSITORY) private readonly online: OnlineRepository,
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: LogicMetrics,
  ) {}

  async renew(server: string, rooms: Record<string, number>, conns: number, ips: number): Promise<Record<string, number>> {
    const entries = Object.entries(rooms);
    if (entries.length > this.config.maxOnlineRooms) {
      this.metrics.limited.inc({ limit: 'online_rooms' });
      throw RpcError.invalid(`${entries.length} rooms in one report; at most ${this.config.maxOnlineRooms} (LOGIC_MAX_ONLINE_ROOMS)`);
    }
    for (const [room, n] of entries) {
      if (!ROOM.test(room) || !Number.isInteger(n) || n < 0) throw RpcError.invalid(`room ${JSON.stringify(room.slice(0, 80))} or its count ${n} is malformed`);
    }
    const snapshot: OnlineSnapshot = { rooms: new Map(entries), conns: Math.max(0, conns), ips: Math.max(0, ips) };
    await this.online.renew(server, snapshot, this.config.onlineTtlMs);
    this.snapshots.set(server, snapshot);
    const all: Record<string, number> = {};
    for (const [room] of entries) all[room] = this.roomCount(room);
    return all;
  }

  async joinRooms(server: string, rooms: string[]): Promise<void> {
    const bad = rooms.find((r) => !ROOM.test(r));
    if (bad !== undefined || rooms.length > 1_000) throw RpcError.invalid(`rooms must be 1-1000 room ids of 1-128 printable characters`);
    await this.online.addRooms(server, rooms, this.config.onlineTtlMs);
  }

  roomCount(room: string): number {
    let n = 0;
    for (const s of this.snapshots.values()) n += s.rooms.get(room) ?? 0;
    return n;
  }

  /** Rooms of one type (`live` for `live://…`, or all when empty) with the most members. */
  top(type: string, limit: number): Array<{ room: string; count: number }> {
    const totals = new Map<string, number>();
    const prefix = type ? `${type}://` : '';
    for (const s of this.snapshots.values()) {
      for (const [room, n] of s.rooms) if (room.startsWith(prefix)) totals.set(room, (totals.get(room) ?? 0) + n);
    }
    return [...totals].map(([room, count]) => ({ room, count })).sort((a, b) => b.count - a.count || a.room.localeCompare(b.room)).slice(0, limit);
  }

  total(): { conns: number; ips: number } {
    let conns = 0;
    let ips = 0;
    for (const s of this.snapshots.values()) {
      conns += s.conns;
      ips += s.ips;
    }
    return { conns, ips };
  }

  /** Re-reads every live comet's snapshot, so this logic sees what comets reported to other logics. */
  async refresh(): Promise<void> {
    const servers = (await this.registry.list()).map((n) => n.id);
    this.snapshots = await this.online.read(servers);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'online counts not loaded yet'));
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'online refresh failed'));
    }, this.config.onlineRefreshMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
