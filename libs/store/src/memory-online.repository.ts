import type { Clock } from '@imgate/common';
import type { OnlineRepository, OnlineSnapshot } from './online.repository';

/** The embedded default's online store: snapshots with expiry, and join events as direct calls. */
export class MemoryOnlineRepository implements OnlineRepository {
  private readonly snapshots = new Map<string, OnlineSnapshot & { expiresAt: number }>();
  private readonly listeners: Array<(server: string, rooms: string[]) => void> = [];

  constructor(private readonly clock: Clock) {}

  async renew(server: string, snapshot: OnlineSnapshot, ttlMs: number): Promise<void> {
    this.snapshots.set(server, { ...snapshot, rooms: new Map(snapshot.rooms), expiresAt: this.clock.now() + ttlMs });
  }

  async addRooms(server: string, rooms: string[], ttlMs: number): Promise<void> {
    const s = this.snapshots.get(server) ?? { rooms: new Map(), conns: 0, ips: 0, expiresAt: 0 };
    for (const room of rooms) if (!s.rooms.has(room)) s.rooms.set(room, 1);
    s.expiresAt = Math.max(s.expiresAt, this.clock.now() + ttlMs);
    this.snapshots.set(server, s);
    for (const l of this.listeners) l(server, rooms);
  }

  async remove(server: string): Promise<void> {
    this.snapshots.delete(server);
  }

  async read(servers: string[]): Promise<Map<string, OnlineSnapshot>> {
    const now = this.clock.now();
    const out = new Map<string, OnlineSnapshot>();
    for (const server of servers) {
      const s = this.snapshots.get(server);
      if (s && s.expiresAt > now) out.set(server, { rooms: new Map(s.rooms), conns: s.conns, ips: s.ips });
      else if (s) this.snapshots.delete(server);
    }
    return out;
  }

  async onRoomsAdded(listener: (server: string, rooms: string[]) => void): Promise<void> {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
  }
}
