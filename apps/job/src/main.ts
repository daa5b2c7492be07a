import 'reflect-metadata';
import { ConfigError, createLogger, onShutdownSignals, createMetricsRegistry, Env, systemClock } from '@imgate/common';
import { startJob } from './job.app';
import { loadJobConfig } from './job.config';
import { redisKafkaJobInfra } from './job.infra';

async function main(): Promise<void> {
  const config = loadJobConfig(new Env(process.env));
  const logger = createLogger(config.infra.logLevel, 'job');
  const app = await startJob(config, redisKafkaJobInfra(config, logger, systemClock), createMetricsRegistry(), logger, systemClock);
  onShutdownSignals(() => app.close(), logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('job failed to start:', err);
  process.exit(1);
});
