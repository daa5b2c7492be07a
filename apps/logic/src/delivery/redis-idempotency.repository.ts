import type { RedisClient } from '@imgate/store';
import type { Claim, IdempotencyRepository } from './idempotency.repository';
import { hashTag } from './stream-keys';

const CONFIRM = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** `{prefix}idem:{<key>}`, SET NX EX; `SET … NX GET` answers the held value in the same round trip (Redis ≥ 7). */
export class RedisIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async claim(key: string, value: string, ttlSec: number): Promise<Claim> {
    const held = await this.redis.call('SET', this.key(key), value, 'NX', 'EX', Math.max(1, Math.ceil(ttlSec)), 'GET');
    if (held === null) return { first: true };
    if (typeof held === 'string') return { first: false, value: held };
    throw new Error(`unexpected SET NX GET reply: ${String(held)}`);
  }

  async release(key: string, value: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(key), value);
  }

  async confirm(key: string, from: string, to: string, ttlSec: number): Promise<void> {
    await this.redis.eval(CONFIRM, 1, this.key(key), from, to, Math.max(1, Math.ceil(ttlSec)));
  }

  private key(key: string): string {
    return `${this.prefix}idem:{${hashTag(key)}}`;
  }
}
