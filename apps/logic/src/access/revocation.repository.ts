import type { Clock } from '@imgate/common';
import type { RedisClient } from '@imgate/store';

/** Revoked token ids, and per user "every token issued before T". Both expire. */
export interface RevocationRepository {
  revokeJti(jti: string, ttlSec: number): Promise<void>;
  /** Keeps the later of the stored and the given time; returns the time now in force. */
  revokeBefore(mid: number, before: number, ttlSec: number): Promise<number>;
  /** Whether `jti` is revoked, and the user's "issued before" time (0 for none). */
  status(mid: number, jti: string | undefined): Promise<{ jti: boolean; before: number }>;
}

const KEEP_LATER = `local cur = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local t = tonumber(ARGV[1])
if t > cur then cur = t end
redis.call('SET', KEYS[1], tostring(cur), 'EX', ARGV[2])
return tostring(cur)`;

/**
 * Key layout (single-key commands; the hash tag is the jti or the user id):
 *   {prefix}rvj:{<jti>}  "1" until the token would have expired
 *   {prefix}rvm:{<mid>}  Unix seconds: tokens of the user issued before it are revoked
 */
export class RedisRevocationRepository implements RevocationRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async revokeJti(jti: string, ttlSec: number): Promise<void> {
    await this.redis.set(`${this.prefix}rvj:{${jti}}`, '1', 'EX', ttlSec);
  }

  async revokeBefore(mid: number, before: number, ttlSec: number): Promise<number> {
    return Number(await this.redis.eval(KEEP_LATER, 1, `${this.prefix}rvm:{${mid}}`, String(before), ttlSec));
  }

  async status(mid: number, jti: string | undefined): Promise<{ jti: boolean; before: number }> {
    const [j, m] = await Promise.all([jti ? this.redis.exists(`${this.prefix}rvj:{${jti}}`) : 0, this.redis.get(`${this.prefix}rvm:{${mid}}`)]);
    return { jti: j === 1, before: Number(m ?? 0) || 0 };
  }
}

export class MemoryRevocationRepository implements RevocationRepository {
  private readonly jtis = new Map<string, number>();
  private readonly mids = new Map<number, { before: number; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async revokeJti(jti: string, ttlSec: number): Promise<void> {
    this.jtis.set(jti, this.clock.now() + ttlSec * 1000);
  }

  async revokeBefore(mid: number, before: number, ttlSec: number): Promise<number> {
    const cur = Math.max(before, (await this.status(mid, undefined)).before);
    this.mids.set(mid, { before: cur, expiresAt: this.clock.now() + ttlSec * 1000 });
    return cur;
  }

  async status(mid: number, jti: string | undefined): Promise<{ jti: boolean; before: number }> {
    const now = this.clock.now();
    const m = this.mids.get(mid);
    return { jti: jti !== undefined && (this.jtis.get(jti) ?? 0) > now, before: m && m.expiresAt > now ? m.before : 0 };
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [jti, at] of this.jtis) if (at <= now) this.jtis.delete(jti);
    for (const [mid, e] of this.mids) if (e.expiresAt <= now) this.mids.delete(mid);
  }
}
