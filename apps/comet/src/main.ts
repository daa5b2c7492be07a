import 'reflect-metadata';
import { ConfigError, createLogger, onShutdownSignals, createMetricsRegistry, createRedis, Env, RedisCometRegistry, systemClock } from '@imgate/common';
import { hostname } from 'node:os';
import { startComet } from './comet.app';
import { loadCometConfig } from './comet.config';

async function main(): Promise<void> {
  const config = loadCometConfig(new Env(process.env), hostname());
  const logger = createLogger(config.infra.logLevel, 'comet');
  const redis = createRedis(config.infra.redisUrl, logger);
  await redis.connect();
  const registry = new RedisCometRegistry(redis, config.infra.redisPrefix, config.infra.registryTtlMs, systemClock);
  const app = await startComet(config, {
    registry,
    metrics: createMetricsRegistry(),
    logger,
    clock: systemClock,
    ready: async () => ({ redis: await redis.ping().then((r) => r === 'PONG', () => false) }),
    stop: async () => redis.disconnect(),
  });
  onShutdownSignals(() => app.close(), logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('comet failed to start:', err);
  process.exit(1);
});
