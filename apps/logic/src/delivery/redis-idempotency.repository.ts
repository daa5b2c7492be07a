import type { RedisClient } from '@imgate/store';
import type { Claim, IdempotencyRepository } from './idempotency.repository';
import { hashTag } from './stream-keys';

/** `{prefix}idem:{<key>}`, SET NX EX; `SET … NX GET` answers the held value in the same round trip (Redis ≥ 7). */
export class RedisIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async claim(key: string, value: string, ttlSec: number): Promise<Claim> {
    const held = await this.redis.call('SET', `${this.prefix}idem:{${hashTag(key)}}`, value, 'NX', 'EX', Math.max(1, Math.ceil(ttlSec)), 'GET');
    if (held === null) return { first: true };
    if (typeof held === 'string') return { first: false, value: held };
    throw new Error(`unexpected SET NX GET reply: ${String(held)}`);
  }
}
