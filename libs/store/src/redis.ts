import { Redis } from 'ioredis';
import type { Logger } from '@imgate/common';

export type RedisClient = Redis;

/** One connection per process; commands fail fast while Redis is down instead of queueing forever. */
export function createRedis(url: string, logger: Logger): RedisClient {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
  return redis;
}
