import 'reflect-metadata';
import { ConfigError, createLogger, createMetricsRegistry, Env, onShutdownSignals, systemClock } from '@imgate/common';
import { loadJobConfig, redisKafkaJobInfra, startJob } from './index';

async function main(): Promise<void> {
  const config = loadJobConfig(new Env(process.env));
  const logger = createLogger(config.infra.logLevel, 'job');
  const clock = systemClock;
  const app = await startJob({ config, infra: redisKafkaJobInfra(config, logger, clock), logger, clock, metrics: createMetricsRegistry() });
  onShutdownSignals(() => app.close(), logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('job failed to start:', err);
  process.exit(1);
});
