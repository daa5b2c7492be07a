import 'reflect-metadata';
import { ConfigError, createLogger, createMetricsRegistry, Env, onShutdownSignals, systemClock } from '@imgate/common';
import { loadCometConfig, memoryCometInfra, startComet } from '@imgate/comet';
import { loadJobConfig, memoryJobInfra, startJob } from '@imgate/job';
import { loadLogicConfig, memoryLogicInfra, startLogic, streamSettings } from '@imgate/logic';
import { MemoryQueue } from '@imgate/queue';
import { MemoryCometRegistry, MemoryOnlineRepository } from '@imgate/store';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { startChatSample } from './chat-sample.runner';
import { loadEmbeddedConfig } from './embedded.config';

/**
 * The embedded default: logic, comet and job in one process, talking gRPC over loopback as in a
 * cluster, with an in-memory session store and queue in place of Redis and Kafka.
 */
async function main(): Promise<void> {
  const env = new Env(process.env);
  // The three roles prove themselves to each other with a secret made for this process (unless
  // CLUSTER_SECRET or mTLS is configured), so nothing else on the machine can call their gRPC.
  const clusterSecret = randomBytes(32).toString('base64url');
  // Without LOGIC_API_KEYS the push API listens on 127.0.0.1 only (docs/security.md).
  const logicConfig = loadLogicConfig(env, { authMode: 'dev', keyless: 'loopback', clusterSecret });
  // One comet in the embedded default has nowhere to send its clients: a short drain. With dev auth
  // (its default: clients name their own mid) the client listeners serve this host only.
  const devAuth = logicConfig.auth.mode === 'dev';
  const cometConfig = loadCometConfig(env, hostname(), { drainTimeoutMs: 2_000, clusterSecret, loopbackOnly: devAuth });
  const jobConfig = loadJobConfig(env, { clusterSecret });
  const embeddedConfig = loadEmbeddedConfig(env);
  const logger = createLogger(logicConfig.infra.logLevel, 'embedded');
  const clock = systemClock;
  const metrics = createMetricsRegistry();
  const queue = new MemoryQueue();
  const registry = new MemoryCometRegistry(logicConfig.infra.registryTtlMs, clock);
  const online = new MemoryOnlineRepository(clock);
  const shared = { logger, clock, metrics };

  const logic = await startLogic({ ...shared, config: logicConfig, infra: memoryLogicInfra(queue, registry, online, clock, streamSettings(logicConfig.delivery)) });
  const comet = await startComet({ ...shared, config: cometConfig, infra: memoryCometInfra(registry) });
  const job = await startJob({ ...shared, config: jobConfig, infra: memoryJobInfra(registry, online, queue.consumer(jobConfig.infra.pushTopic, logger)) });

  const chat = embeddedConfig.chatSample
    ? await startChatSample({ queue, topic: logicConfig.infra.upstreamTopic, logicUrl: `http://127.0.0.1:${logicConfig.httpPort}`, apiKey: embeddedConfig.apiKey, logger })
    : undefined;

  logger.info(
    {
      websocket: `ws://127.0.0.1:${cometConfig.wsPort}/sub`,
      tcp: `127.0.0.1:${cometConfig.tcpPort}`,
      push: `http://127.0.0.1:${logicConfig.httpPort}/goim/push/mids?operation=1000&mids=123`,
      api: logicConfig.api.mode === 'loopback' ? 'no API keys: the push API listens on 127.0.0.1 only' : logicConfig.api.mode,
      clients: devAuth ? `dev auth: client listeners on ${cometConfig.listenHost} only (LOGIC_AUTH_MODE=jwt with a key to take clients from elsewhere)` : `${cometConfig.listenHost}, tokens checked`,
    },
    'imgate embedded: logic, comet and job are up (in-memory store and queue)',
  );

  // Clients first (the comet drains), then the consumer, then the API and stores.
  onShutdownSignals(async () => {
    await comet.close();
    await chat?.stop();
    await job.close();
    await logic.close();
  }, logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('imgate failed to start:', err);
  process.exit(1);
});
