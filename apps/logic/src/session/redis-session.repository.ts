import type { RedisClient } from '@imgate/store';
import { sessionScripts as S } from './session-scripts';
import type { SessionRepository } from './session.repository';

/** How long a disconnect's tombstone keeps a late renewal from bringing the session back. */
const TOMBSTONE_SEC = 120;
/** A comet is written to the session-servers index again after this long (one write per comet, not per connect). */
const SERVER_NOTE_MS = 60_000;
const PURGE_BATCH = 500;
// Adds the key to the user's hash unless the hash already holds maxKeys others.
const HSET_IF_ROOM = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) redis.call('EXPIRE', KEYS[1], ARGV[4]) return 1`;

/**
 * Key layout (hash tags keep each command on one Redis Cluster slot; each script touches one slot):
 *   {prefix}k:{<key>}       string comet id
 *   {prefix}k:{<key>}:gone  string comet id: the connection was disconnected there (tombstone, 120 s)
 *   {prefix}m:{<mid>}       hash  connection key → comet id (expires with the user's last session)
 *   {prefix}c:{<comet>}     hash  connection key → "<mid>/<written at, ms>": the comet's sessions, for the sweep
 *   {prefix}session-servers hash  comet id → last noted (ms): whose sessions the sweep checks
 *   {prefix}session-boots   hash  comet id → incarnation whose predecessors' sessions were purged
 */
export class RedisSessionRepository implements SessionRepository {
  private readonly noted = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  private midKey(mid: number): string {
    return `${this.prefix}m:{${mid}}`;
  }
  private connKey(key: string): string {
    return `${this.prefix}k:{${key}}`;
  }
  private goneKey(key: string): string {
    return `${this.prefix}k:{${key}}:gone`;
  }
  private cometKey(server: string): string {
    return `${this.prefix}c:{${server}}`;
  }
  private get serversKey(): string {
    return `${this.prefix}session-servers`;
  }
  private get bootsKey(): string {
    return `${this.prefix}session-boots`;
  }

  /** Index writes shared by add and restore: the user's hash, the comet's hash, the comet noted for the sweep. */
  private index(p: ReturnType<RedisClient['pipeline']>, mid: number, key: string, server: string, ttlSec: number): void {
    if (mid > 0) p.hset(this.midKey(mid), key, server).expire(this.midKey(mid), ttlSec);
    const now = this.now();
    p.hset(this.cometKey(server), key, `${mid}/${now}`).expire(this.cometKey(server), ttlSec);
    if (now - (this.noted.get(server) ?? 0) > SERVER_NOTE_MS) {
      this.noted.set(server, now);
      p.hset(this.serversKey, server, String(now));
    }
  }

  async add(mid: number, key: string, server: string, ttlSec: number): Promise<void> {
    const p = this.redis.pipeline();
    p.set(this.connKey(key), server, 'EX', ttlSec).del(this.goneKey(key));
    this.index(p, mid, key, server, ttlSec);
    check(await p.exec());
  }

  async addBounded(mid: number, key: string, server: string, ttlSec: number, maxKeys: number): Promise<boolean> {
    const added = await this.redis.eval(HSET_IF_ROOM, 1, this.midKey(mid), key, server, maxKeys, ttlSec);
    if (added !== 1) return false;
    // The rest of add(): the session itself, its tombstone cleared, the comet's index for the sweep.
    const p = this.redis.pipeline();
    p.set(this.connKey(key), server, 'EX', ttlSec).del(this.goneKey(key));
    this.index(p, mid, key, server, ttlSec);
    check(await p.exec());
    return true;
  }

  async refresh(mid: number, key: string, server: string, ttlSec: number): Promise<boolean> {
    return (await this.refreshMany([{ mid, key }], server, ttlSec))[0];
  }

  async refreshMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<boolean[]> {
    if (sessions.length === 0) return [];
    const p = this.redis.pipeline();
    for (const s of sessions) {
      p.eval(S.expireIfEqual, 1, this.connKey(s.key), server, ttlSec);
      // The user's entry must be there too (a lost field is restored); its hash lives as long as its newest session.
      if (s.mid > 0) p.hexists(this.midKey(s.mid), s.key).expire(this.midKey(s.mid), ttlSec);
    }
    p.expire(this.cometKey(server), ttlSec);
    const results = check(await p.exec());
    const out: boolean[] = [];
    let i = 0;
    for (const s of sessions) {
      const conn = results[i++] === 1;
      if (s.mid > 0) {
        out.push(conn && results[i] === 1);
        i += 2;
      } else out.push(conn);
    }
    return out;
  }

  async restoreMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<number> {
    if (sessions.length === 0) return 0;
    const p = this.redis.pipeline();
    for (const s of sessions) p.eval(S.restore, 2, this.connKey(s.key), this.goneKey(s.key), server, ttlSec);
    const results = check(await p.exec());
    const ok = sessions.filter((_, i) => results[i] === 1);
    if (ok.length === 0) return 0;
    const w = this.redis.pipeline();
    for (const s of ok) this.index(w, s.mid, s.key, server, ttlSec);
    check(await w.exec());
    return ok.length;
  }

  async remove(mid: number, key: string, server: string): Promise<boolean> {
    const p = this.redis.pipeline();
    p.eval(S.removeWithTombstone, 2, this.connKey(key), this.goneKey(key), server, TOMBSTONE_SEC);
    if (mid > 0) p.eval(S.hdelIfEqual, 1, this.midKey(mid), key, server);
    p.hdel(this.cometKey(server), key);
    const results = check(await p.exec());
    return results[0] === 1 || (mid > 0 && results[1] === 1);
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
      if (r && typeof r === 'object' && Object.keys(r).length) out.set(mids[i], new Map(Object.entries(r as Record<string, string>)));
    });
    return out;
  }

  async sessionServers(): Promise<string[]> {
    return Object.keys(await this.redis.hgetall(this.serversKey));
  }

  async purgeServer(server: string): Promise<number> {
    const removed = await this.eachIndexBatch(server, (entries) => this.dropSessions(server, entries));
    await this.redis.pipeline().del(this.cometKey(server)).hdel(this.serversKey, server).hdel(this.bootsKey, server).exec();
    this.noted.delete(server);
    return removed;
  }

  async purgeBefore(server: string, bootAt: number, boot: string): Promise<number> {
    const index = this.cometKey(server);
    const removed = await this.eachIndexBatch(server, async (entries) => {
      const old = entries.filter((e) => e.at < bootAt);
      if (old.length === 0) return 0;
      // The index entry first, only if unchanged: a key resumed on the new process since the scan
      // was rewritten with a later time, and its session is left alone.
      const p = this.redis.pipeline();
      for (const o of old) p.eval(S.hdelIfEqual, 1, index, o.key, o.value);
      const taken = check(await p.exec());
      return this.dropSessions(server, old.filter((_, i) => taken[i] === 1));
    });
    await this.redis.hset(this.bootsKey, server, boot);
    return removed;
  }

  /** Walks a comet's session index in batches; `batch` answers how many sessions it removed. */
  private async eachIndexBatch(server: string, batch: (entries: IndexEntry[]) => Promise<number>): Promise<number> {
    let cursor = '0';
    let removed = 0;
    do {
      const [next, flat] = await this.redis.hscan(this.cometKey(server), cursor, 'COUNT', PURGE_BATCH);
      cursor = next;
      const entries: IndexEntry[] = [];
      for (let i = 0; i < flat.length; i += 2) entries.push({ key: flat[i], value: flat[i + 1], ...indexValue(flat[i + 1]) });
      if (entries.length) removed += await batch(entries);
    } while (cursor !== '0');
    return removed;
  }

  /** Deletes these sessions and their users' entries where they still point at `server`; how many sessions went. */
  private async dropSessions(server: string, entries: readonly IndexEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const p = this.redis.pipeline();
    const sessionAt: number[] = [];
    let n = 0;
    for (const { key, mid } of entries) {
      sessionAt.push(n++);
      p.eval(S.delIfEqual, 1, this.connKey(key), server);
      if (mid > 0) {
        p.eval(S.hdelIfEqual, 1, this.midKey(mid), key, server);
        n++;
      }
    }
    const results = check(await p.exec());
    return sessionAt.filter((i) => results[i] === 1).length;
  }

  async cleanedBoots(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.bootsKey)));
  }
}

interface IndexEntry {
  key: string;
  /** As stored, for a compare-and-delete. */
  value: string;
  mid: number;
  /** When the session was written (ms); 0 when not kept. */
  at: number;
}

/** An index entry: "<mid>/<written at>", or a bare mid from before write times were kept (time 0: older than any process). */
function indexValue(v: string): { mid: number; at: number } {
  const slash = v.indexOf('/');
  return slash < 0 ? { mid: Number(v), at: 0 } : { mid: Number(v.slice(0, slash)), at: Number(v.slice(slash + 1)) || 0 };
}

function check(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (!results) throw new Error('redis pipeline aborted');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
