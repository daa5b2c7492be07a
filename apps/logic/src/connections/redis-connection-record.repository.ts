import type { RedisClient } from '@imgate/store';
import { results as check } from '../delivery/redis-script';
import type { ConnectionRecord, ConnectionRecordRepository, HeldPush, RoomsUpdate } from './connection-record';

const UPDATE = `if redis.call('HGET', KEYS[1], 'server') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'live') ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'room', ARGV[2], 'rooms', ARGV[3], 'accepts', ARGV[4]) return 1`;
const REFRESH = `if redis.call('HGET', KEYS[1], 'server') == ARGV[1] and redis.call('HGET', KEYS[1], 'live') == '1' then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0`;
// Released: kept for the window, marked so pushes by key are held and listings leave it out.
const RELEASE = `if redis.call('HGET', KEYS[1], 'server') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'live') ~= '1' then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('HSET', KEYS[1], 'live', '0') redis.call('EXPIRE', KEYS[1], ARGV[2]) redis.call('DEL', KEYS[2])
else redis.call('DEL', KEYS[1], KEYS[2]) end return 1`;
// One-time use: the hash is swapped in the same step that reads the record.
const CLAIM = `local h = redis.call('HGET', KEYS[1], 'resume')
if not h or h == '' or h ~= ARGV[1] or redis.call('HGET', KEYS[1], 'mid') ~= ARGV[3] then return nil end
redis.call('HSET', KEYS[1], 'resume', ARGV[2])
local held = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
return {redis.call('HGETALL', KEYS[1]), held}`;
const HOLD = `if redis.call('HGET', KEYS[1], 'live') ~= '0' then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1]) redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1) redis.call('PEXPIRE', KEYS[2], ttl) return 1`;

/**
 * Key layout (one hash tag per connection key, so every script stays on one Redis Cluster slot):
 *   {prefix}c:{<key>}       hash  the record's fields, `live` 1/0, `resume` = SHA-256 of the resume secret
 *   {prefix}c:{<key>}:held  list  JSON pushes by key held while released
 * Platform and connect time repeat the user's login record (`login:{<mid>}`, access/): see there why.
 */
export class RedisConnectionRecordRepository implements ConnectionRecordRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private rec(key: string): string {
    return `${this.prefix}c:{${key}}`;
  }

  private held(key: string): string {
    return `${this.prefix}c:{${key}}:held`;
  }

  async put(r: ConnectionRecord, resumeHash: string, ttlSec: number): Promise<void> {
    const k = this.rec(r.key);
    // Every field is written, so nothing of an earlier record under this key survives.
    const p = this.redis.pipeline();
    p.hset(k, {
      mid: r.mid,
      server: r.server,
      transport: r.transport,
      ip: r.ip,
      port: r.port,
      platform: r.platform,
      at: r.connectedAtMs,
      room: r.roomId,
      rooms: JSON.stringify(r.rooms),
      accepts: JSON.stringify(r.accepts),
      delivery: r.delivery ? '1' : '0',
      device: r.device,
      resumed: r.resumed ? '1' : '0',
      resume: resumeHash,
      live: '1',
    });
    p.expire(k, ttlSec);
    check(await p.exec());
  }

  async update(server: string, updates: readonly RoomsUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    const p = this.redis.pipeline();
    for (const u of updates) p.eval(UPDATE, 1, this.rec(u.key), server, u.roomId, JSON.stringify(u.rooms), JSON.stringify(u.accepts));
    return check(await p.exec()).filter((r) => r === 1).length;
  }

  async refresh(keys: readonly string[], server: string, ttlSec: number): Promise<void> {
    if (keys.length === 0) return;
    const p = this.redis.pipeline();
    for (const key of keys) p.eval(REFRESH, 1, this.rec(key), server, ttlSec);
    check(await p.exec());
  }

  async release(key: string, server: string, windowSec: number): Promise<void> {
    await this.redis.eval(RELEASE, 2, this.rec(key), this.held(key), server, windowSec);
  }

  async claim(key: string, mid: number, hash: string, nextHash: string): Promise<{ record: ConnectionRecord; held: HeldPush[] } | null> {
    const r = await this.redis.eval(CLAIM, 2, this.rec(key), this.held(key), hash, nextHash, String(mid));
    if (!Array.isArray(r)) return null;
    const [flat, held] = r as [string[], string[]];
    const record = parseRecord(key, pairs(flat));
    return record && { record, held: held.map(parseHeld).filter((h) => h !== null) };
  }

  async get(keys: readonly string[]): Promise<Array<ConnectionRecord | null>> {
    if (keys.length === 0) return [];
    const p = this.redis.pipeline();
    for (const key of keys) p.hgetall(this.rec(key));
    return check(await p.exec()).map((h, i) => {
      const fields = h as Record<string, string>;
      return fields.live === '1' ? parseRecord(keys[i], fields) : null;
    });
  }

  async hold(keys: readonly string[], push: HeldPush, max: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const json = JSON.stringify({ o: push.operation, b: Buffer.from(push.body).toString('base64'), i: push.messageId, t: push.acceptedAtMs });
    const p = this.redis.pipeline();
    for (const key of keys) p.eval(HOLD, 2, this.rec(key), this.held(key), json, max);
    const done = check(await p.exec());
    return keys.filter((_, i) => done[i] === 1);
  }
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

function jsonArray<T>(text: string | undefined, ok: (v: unknown) => v is T): T[] {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(v) ? v.filter(ok) : [];
  } catch {
    return [];
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isInteger(v);

/** A stored record, read without trusting the store: null when it lacks what every record has. */
export function parseRecord(key: string, f: Record<string, string>): ConnectionRecord | null {
  const mid = Number(f.mid);
  if (!f.server || !Number.isSafeInteger(mid)) return null;
  return {
    mid,
    key,
    server: f.server,
    transport: f.transport ?? '',
    ip: f.ip ?? '',
    port: Number(f.port) || 0,
    platform: f.platform ?? '',
    connectedAtMs: Number(f.at) || 0,
    roomId: f.room ?? '',
    rooms: jsonArray(f.rooms, isString),
    accepts: jsonArray(f.accepts, isInt),
    delivery: f.delivery === '1',
    device: f.device ?? '',
    resumed: f.resumed === '1',
  };
}

function parseHeld(json: string): HeldPush | null {
  try {
    const v = JSON.parse(json) as { o?: unknown; b?: unknown; i?: unknown; t?: unknown };
    if (!isInt(v.o) || typeof v.b !== 'string') return null;
    return { operation: v.o, body: Buffer.from(v.b, 'base64'), messageId: isString(v.i) ? v.i : '', acceptedAtMs: isInt(v.t) ? v.t : 0 };
  } catch {
    return null;
  }
}
