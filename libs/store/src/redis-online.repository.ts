import type { Logger } from '@imgate/common';
import type { RedisClient } from './redis';
import type { OnlineRepository, OnlineSnapshot } from './online.repository';

const ROOM = 'r:';

/**
 * One hash per comet, `{prefix}online:{<server>}` (one key, one Cluster slot): fields `r:<room>`
 * → members, `conn`, `ip`. Join events go over the `{prefix}rooms-added` pub/sub channel.
 */
export class RedisOnlineRepository implements OnlineRepository {
  private subscriber?: RedisClient;
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}rooms-added`;
  }

  private key(server: string): string {
    return `${this.prefix}online:{${server}}`;
  }

  async renew(server: string, snapshot: OnlineSnapshot, ttlMs: number): Promise<void> {
    const fields: string[] = ['conn', String(snapshot.conns), 'ip', String(snapshot.ips)];
    for (const [room, n] of snapshot.rooms) fields.push(ROOM + room, String(n));
    const key = this.key(server);
    // One key in a MULTI: readers never see a half-replaced snapshot.
    const res = await this.redis.multi().del(key).hset(key, ...fields).pexpire(key, ttlMs).exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('online snapshot not written');
  }

  async addRooms(server: string, rooms: string[], ttlMs: number): Promise<void> {
    if (rooms.length === 0) return;
    const key = this.key(server);
    const p = this.redis.pipeline();
    for (const room of rooms) p.hsetnx(key, ROOM + room, '1');
    p.pexpire(key, ttlMs);
    p.publish(this.channel, JSON.stringify({ server, rooms }));
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('rooms not recorded');
  }

  async remove(server: string): Promise<void> {
    await this.redis.del(this.key(server));
  }

  async read(servers: string[]): Promise<Map<string, OnlineSnapshot>> {
    const out = new Map<string, OnlineSnapshot>();
    if (servers.length === 0) return out;
    const p = this.redis.pipeline();
    for (const s of servers) p.hgetall(this.key(s));
    const res = (await p.exec()) ?? [];
    res.forEach(([err, value], i) => {
      if (err || !value || typeof value !== 'object') return;
      const fields = value as Record<string, string>;
      if (Object.keys(fields).length === 0) return;
      const rooms = new Map<string, number>();
      for (const [f, v] of Object.entries(fields)) if (f.startsWith(ROOM)) rooms.set(f.slice(ROOM.length), Number(v) || 0);
      out.set(servers[i], { rooms, conns: Number(fields.conn) || 0, ips: Number(fields.ip) || 0 });
    });
    return out;
  }

  async onRoomsAdded(listener: (server: string, rooms: string[]) => void): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate();
      this.subscriber.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis subscriber error'));
    }
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const { server, rooms } = JSON.parse(message) as { server: unknown; rooms: unknown };
        if (typeof server === 'string' && Array.isArray(rooms) && rooms.every((r) => typeof r === 'string')) listener(server, rooms);
      } catch {
        this.logger.warn({ message: message.slice(0, 200) }, 'ignoring a malformed rooms-added event');
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
