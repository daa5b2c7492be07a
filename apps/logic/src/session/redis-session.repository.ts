import type { RedisClient } from '@imgate/store';
import type { SessionRepository } from './session.repository';

// Deletes only when the value is still ours: a late disconnect must not erase a newer session.
const DEL_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXPIRE_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0`;
// Adds the key to the user's hash unless the hash already holds maxKeys others.
const HSET_IF_ROOM = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) redis.call('EXPIRE', KEYS[1], ARGV[4]) return 1`;
const HDEL_IF_EQUAL = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

/**
 * Key layout (hash tags keep each command on one Redis Cluster slot; nothing spans two keys):
 *   {prefix}m:{<mid>}  hash  connection key → comet id
 *   {prefix}k:{<key>}  string comet id
 */
export class RedisSessionRepository implements SessionRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private midKey(mid: number): string {
    return `${this.prefix}m:{${mid}}`;
  }
  private connKey(key: string): string {
    return `${this.prefix}k:{${key}}`;
  }

  async add(mid: number, key: string, server: string, ttlSec: number): Promise<void> {
    const p = this.redis.pipeline();
    if (mid > 0) p.hset(this.midKey(mid), key, server).expire(this.midKey(mid), ttlSec);
    p.set(this.connKey(key), server, 'EX', ttlSec);
    check(await p.exec());
  }

  async addBounded(mid: number, key: string, server: string, ttlSec: number, maxKeys: number): Promise<boolean> {
    const added = await this.redis.eval(HSET_IF_ROOM, 1, this.midKey(mid), key, server, maxKeys, ttlSec);
    if (added !== 1) return false;
    await this.redis.set(this.connKey(key), server, 'EX', ttlSec);
    return true;
  }

  async refresh(mid: number, key: string, server: string, ttlSec: number): Promise<boolean> {
    const p = this.redis.pipeline();
    p.eval(EXPIRE_IF_EQUAL, 1, this.connKey(key), server, ttlSec);
    if (mid > 0) p.expire(this.midKey(mid), ttlSec);
    const results = check(await p.exec());
    return results[0] === 1 && (mid <= 0 || results[1] === 1);
  }

  async refreshMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<boolean[]> {
    if (sessions.length === 0) return [];
    const p = this.redis.pipeline();
    for (const s of sessions) {
      p.eval(EXPIRE_IF_EQUAL, 1, this.connKey(s.key), server, ttlSec);
      if (s.mid > 0) p.expire(this.midKey(s.mid), ttlSec);
    }
    const results = check(await p.exec());
    const out: boolean[] = [];
    let i = 0;
    for (const s of sessions) {
      const conn = results[i++] === 1;
      out.push(s.mid > 0 ? results[i++] === 1 && conn : conn);
    }
    return out;
  }

  async remove(mid: number, key: string, server: string): Promise<boolean> {
    const p = this.redis.pipeline();
    p.eval(DEL_IF_EQUAL, 1, this.connKey(key), server);
    if (mid > 0) p.eval(HDEL_IF_EQUAL, 1, this.midKey(mid), key, server);
    const results = check(await p.exec());
    return results.some((r) => r === 1);
  }

  async serversByKeys(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    const p = this.redis.pipeline();
    for (const k of keys) p.get(this.connKey(k));
    return check(await p.exec()).map((r) => (typeof r === 'string' ? r : null));
  }

  async keysByMids(mids: number[]): Promise<Map<number, Map<string, string>>> {
    const out = new Map<number, Map<string, string>>();
    if (mids.length === 0) return out;
    const p = this.redis.pipeline();
    for (const m of mids) p.hgetall(this.midKey(m));
    check(await p.exec()).forEach((r, i) => {
      if (r && typeof r === 'object') out.set(mids[i], new Map(Object.entries(r as Record<string, string>)));
    });
    return out;
  }
}

function check(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (!results) throw new Error('redis pipeline aborted');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
