import 'reflect-metadata';
import { ConfigError, createLogger, createMetricsRegistry, Env, onShutdownSignals, systemClock } from '@imgate/common';
import { hostname } from 'node:os';
import { loadCometConfig, redisCometInfra, startComet } from './index';

async function main(): Promise<void> {
  const config = loadCometConfig(new Env(process.env), hostname());
  const logger = createLogger(config.infra.logLevel, 'comet');
  const clock = systemClock;
  const app = await startComet({ config, infra: redisCometInfra(config, logger, clock), logger, clock, metrics: createMetricsRegistry() });
  onShutdownSignals(() => app.close(), logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('comet failed to start:', err);
  process.exit(1);
});
