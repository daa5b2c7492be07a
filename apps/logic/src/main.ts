import 'reflect-metadata';
import { ConfigError, createLogger, createMetricsRegistry, Env, onShutdownSignals, systemClock } from '@imgate/common';
import { loadLogicConfig, redisKafkaLogicInfra, startLogic } from './index';

async function main(): Promise<void> {
  const config = loadLogicConfig(new Env(process.env));
  const logger = createLogger(config.infra.logLevel, 'logic');
  const clock = systemClock;
  const app = await startLogic({ config, infra: redisKafkaLogicInfra(config, logger, clock), logger, clock, metrics: createMetricsRegistry() });
  onShutdownSignals(() => app.close(), logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('logic failed to start:', err);
  process.exit(1);
});
