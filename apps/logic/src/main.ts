import 'reflect-metadata';
import { ConfigError, createLogger, createMetricsRegistry, onShutdownSignals, Env, systemClock } from '@imgate/common';
import { startLogic } from './logic.app';
import { loadLogicConfig } from './logic.config';
import { redisKafkaInfra } from './logic.infra';

async function main(): Promise<void> {
  const config = loadLogicConfig(new Env(process.env));
  const logger = createLogger(config.infra.logLevel, 'logic');
  const app = await startLogic(config, redisKafkaInfra(config, logger, systemClock), logger, systemClock, createMetricsRegistry());
  onShutdownSignals(() => app.close(), logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('logic failed to start:', err);
  process.exit(1);
});
