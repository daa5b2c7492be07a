import type { DependencyStatus } from '@imgate/common';
import type { RedisClient } from './redis';

/**
 * Starts a Redis client without waiting for it: a role booted while Redis is down stays up
 * (unready) while the client reconnects with its backoff, and the status follows the client's
 * events. `status.onReturn` listeners hear each reconnect after a failure, empty Redis or not.
 */
export function startRedis(redis: RedisClient, status: DependencyStatus): void {
  // The close that follows an error must not hide it: "connection closed" says nothing about a
  // refused certificate or a WRONGPASS, which is what an operator reading /health/ready needs.
  let lastError: string | undefined;
  const closed = (what: string) => status.markDown(lastError ? `${what} (${lastError})` : what);
  redis.on('ready', () => {
    lastError = undefined;
    status.markUp();
  });
  redis.on('error', (err: Error) => {
    lastError = err.message;
    status.markDown(err.message);
  });
  redis.on('close', () => closed('connection closed'));
  redis.on('end', () => closed('connection ended'));
  // Rejects on the first failed attempt; ioredis keeps retrying on its own (retryStrategy).
  redis.connect().catch((err: Error) => {
    lastError = err.message;
    status.markDown(err.message);
  });
}
