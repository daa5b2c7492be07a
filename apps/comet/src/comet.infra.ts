import { type Clock, DependencyStatus, type Logger, type RoleInfra } from '@imgate/common';
import { type CometRegistry, createRedis, RedisCometRegistry, startRedis } from '@imgate/store';
import type { CometConfig } from './comet.config';

/** The comet registry behind comet's interfaces, with its lifecycle. */
export interface CometInfra extends RoleInfra {
  registry: CometRegistry;
  /** Calls back when the store answers again after failing (it may have come back empty). */
  onStoreReturn(listener: () => void): void;
}

/**
 * Redis is not needed to boot: the comet starts unready and registers once Redis answers. A
 * comet that was registered stays ready through a Redis outage shorter than COMET_REDIS_GRACE_MS
 * (its connections still work; docs/operations.md, readiness).
 */
export function redisCometInfra(config: CometConfig, logger: Logger, clock: Clock): CometInfra {
  const { infra } = config;
  const redis = createRedis(infra.redisUrl, logger, infra.redisTls);
  const status = new DependencyStatus('redis', clock, logger, config.redisGraceMs);
  return {
    registry: new RedisCometRegistry(redis, infra.redisPrefix, infra.registryTtlMs, clock),
    onStoreReturn: (listener) => status.onReturn(listener),
    async start() {
      startRedis(redis, status);
    },
    async stop() {
      redis.disconnect();
    },
    async ready() {
      return { redis: status.state() };
    },
  };
}

/** The embedded default: a registry shared in memory with logic and job. */
export function memoryCometInfra(registry: CometRegistry): CometInfra {
  return {
    registry,
    onStoreReturn: () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
    ready: async () => ({ store: true }),
  };
}
