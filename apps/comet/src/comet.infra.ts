import type { Clock, Logger, RoleInfra } from '@imgate/common';
import { type CometRegistry, createRedis, RedisCometRegistry } from '@imgate/store';
import type { CometConfig } from './comet.config';

/** The comet registry behind comet's interfaces, with its lifecycle. */
export interface CometInfra extends RoleInfra {
  registry: CometRegistry;
}

export function redisCometInfra(config: CometConfig, logger: Logger, clock: Clock): CometInfra {
  const { infra } = config;
  const redis = createRedis(infra.redisUrl, logger);
  return {
    registry: new RedisCometRegistry(redis, infra.redisPrefix, infra.registryTtlMs, clock),
    start: () => redis.connect(),
    async stop() {
      redis.disconnect();
    },
    async ready() {
      return { redis: await redis.ping().then((r) => r === 'PONG', () => false) };
    },
  };
}

/** The embedded default: a registry shared in memory with logic and job. */
export function memoryCometInfra(registry: CometRegistry): CometInfra {
  return {
    registry,
    start: async () => undefined,
    stop: async () => undefined,
    ready: async () => ({ store: true }),
  };
}
