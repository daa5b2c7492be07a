import type { DependencyStatus } from '@imgate/common';
import type { RedisClient } from './redis';

/**
 * Starts a Redis client without waiting for it: a role booted while Redis is down stays up
 * (unready) while the client reconnects with its backoff, and the status follows the client's
 * events. `status.onReturn` listeners hear each reconnect after a failure, empty Redis or not.
 */
export function startRedis(redis: RedisClient, status: DependencyStatus): void {
  redis.on('ready', () => status.markUp());
  redis.on('error', (err: Error) => status.markDown(err.message));
  redis.on('close', () => status.markDown('connection closed'));
  redis.on('end', () => status.markDown('connection ended'));
  // Rejects on the first failed attempt; ioredis keeps retrying on its own (retryStrategy).
  redis.connect().catch((err: Error) => status.markDown(err.message));
}
