import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { Buckets } from './bucket/buckets';
import type { CometConfig } from './comet.config';
import { COMET_CONFIG } from './comet.tokens';
import type { ClusterRooms } from './connection/connection-context';
import { LogicClient } from './logic/logic.client';
import { CometMetrics } from './comet.metrics';

/**
 * goim's RenewOnline: reports this comet's room counts to logic every interval and keeps the
 * cluster-wide counts logic answers with (for heartbeat replies). A room's first member here is
 * reported at once (JoinRooms), so job starts sending that room's messages to this comet.
 */
@Injectable()
export class OnlineReporter implements ClusterRooms, OnApplicationBootstrap, OnApplicationShutdown {
  private totals = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();
  private batch: string[] = [];
  private batchDone?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly buckets: Buckets,
    private readonly logic: LogicClient,
    metrics: CometMetrics,
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    buckets.onRoomAdded((room) => this.announce(room));
    metrics.roomCount = () => buckets.roomCounts().size;
  }

  /** Rooms added in one tick go to logic in one call. */
  private announce(room: string): void {
    this.batch.push(room);
    this.batchDone ??= Promise.resolve().then(async () => {
      const rooms = this.batch;
      this.batch = [];
      this.batchDone = undefined;
      try {
        await this.logic.joinRooms(rooms);
      } catch (err) {
        // The next periodic report carries the room anyway.
        this.logger.warn({ rooms: rooms.length, err: (err as Error).message }, 'room membership not recorded yet');
      } finally {
        for (const r of rooms) this.pending.delete(r);
      }
    });
    this.pending.set(room, this.batchDone);
  }

  async ready(rooms: Iterable<string>): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const r of rooms) {
      const p = this.pending.get(r);
      if (p) waits.push(p);
    }
    if (waits.length) await Promise.all(waits);
  }

  online(room: string): number {
    // The cluster count can lag behind this comet's own members; never report fewer than those.
    return Math.max(this.totals.get(room) ?? 0, this.buckets.roomSize(room));
  }

  async report(): Promise<void> {
    const roomCount: Record<string, number> = Object.fromEntries(this.buckets.roomCounts());
    const ips = new Set<string>();
    for (const ch of this.buckets.all()) ips.add(ch.remoteAddress);
    const reply = await this.logic.renewOnline(roomCount, this.buckets.size, ips.size);
    this.totals = new Map(Object.entries(reply.allRoomCount));
  }

  async onApplicationBootstrap(): Promise<void> {
    // At once, not after the first interval: a comet restarted under the same id replaces the
    // room counts its earlier process left (a report replaces this comet's counts whole).
    this.report().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'first online report failed; the periodic one follows'));
    this.timer = setInterval(() => {
      this.report().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'online report failed'));
    }, this.config.onlineReportMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
