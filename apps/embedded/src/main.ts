import 'reflect-metadata';
import { ConfigError, createLogger, onShutdownSignals, createMetricsRegistry, Env, MemoryCometRegistry, MemoryOnlineRepository, MemoryQueue, systemClock } from '@imgate/common';
import { hostname } from 'node:os';
import { startComet } from '../../comet/src/comet.app';
import { loadCometConfig } from '../../comet/src/comet.config';
import { startJob } from '../../job/src/job.app';
import { loadJobConfig } from '../../job/src/job.config';
import { startLogic } from '../../logic/src/logic.app';
import { loadLogicConfig } from '../../logic/src/logic.config';
import { memoryInfra } from '../../logic/src/logic.infra';

/**
 * The embedded default: logic, comet and job in one process, talking gRPC over loopback as in a
 * cluster, with an in-memory session store and queue in place of Redis and Kafka.
 */
async function main(): Promise<void> {
  const env = new Env(process.env);
  const logicConfig = loadLogicConfig(env, { authMode: 'dev' });
  // One comet in the embedded default has nowhere to send its clients: a short drain.
  const cometConfig = loadCometConfig(env, hostname(), { drainTimeoutMs: 2_000 });
  const jobConfig = loadJobConfig(env);
  const logger = createLogger(logicConfig.infra.logLevel, 'embedded');
  const clock = systemClock;
  const metrics = createMetricsRegistry();
  const queue = new MemoryQueue();
  const registry = new MemoryCometRegistry(logicConfig.infra.registryTtlMs, clock);
  const online = new MemoryOnlineRepository(clock);

  const logic = await startLogic(logicConfig, memoryInfra(queue, registry, online, clock), logger, clock, metrics);
  const comet = await startComet(cometConfig, { registry, metrics, logger, clock, ready: async () => ({ store: true }), stop: async () => undefined });
  const job = await startJob(
    jobConfig,
    {
      registry,
      consumer: queue.consumer(jobConfig.infra.pushTopic, logger),
      online,
      start: async () => undefined,
      stop: async () => undefined,
      ready: async () => ({ queue: true }),
    },
    metrics,
    logger,
    clock,
  );

  logger.info(
    {
      websocket: `ws://127.0.0.1:${cometConfig.wsPort}/sub`,
      tcp: `127.0.0.1:${cometConfig.tcpPort}`,
      push: `http://127.0.0.1:${logicConfig.httpPort}/goim/push/mids?operation=1000&mids=123`,
    },
    'imgate embedded: logic, comet and job are up (in-memory store and queue)',
  );

  // Clients first (the comet drains), then the consumer, then the API and stores.
  onShutdownSignals(async () => {
    await comet.close();
    await job.close();
    await logic.close();
  }, logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('imgate failed to start:', err);
  process.exit(1);
});
