import type { Clock, Logger, RoleInfra } from '@imgate/common';
import { type CometRegistry, createRedis, type OnlineRepository, RedisCometRegistry, RedisOnlineRepository } from '@imgate/store';
import { KafkaConsumer, type QueueConsumer } from '@imgate/queue';
import type { JobConfig } from './job.config';

/** The comet registry and push consumer behind job's interfaces, with their lifecycle. */
export interface JobInfra extends RoleInfra {
  registry: CometRegistry;
  consumer: QueueConsumer;
  online: OnlineRepository;
}

export function redisKafkaJobInfra(config: JobConfig, logger: Logger, clock: Clock): JobInfra {
  const { infra } = config;
  const redis = createRedis(infra.redisUrl, logger);
  const consumer = new KafkaConsumer(
    {
      brokers: infra.kafkaBrokers,
      clientId: `${infra.kafkaClientId}-job`,
      topics: [infra.pushTopic],
      partitions: infra.kafkaPartitions,
      topic: infra.pushTopic,
      groupId: config.groupId,
      sessionTimeoutMs: config.sessionTimeoutMs,
      concurrency: config.concurrency,
      minBytes: config.batchBytes,
      maxWaitMs: config.batchWindowMs,
    },
    logger,
  );
  return {
    registry: new RedisCometRegistry(redis, infra.redisPrefix, infra.registryTtlMs, clock),
    consumer,
    online: new RedisOnlineRepository(redis, infra.redisPrefix, logger),
    start: () => redis.connect(),
    async stop() {
      redis.disconnect();
    },
    async ready() {
      return { redis: await redis.ping().then((r) => r === 'PONG', () => false), kafka: consumer.running };
    },
  };
}

/** The embedded default: the registry and online counts shared in memory with logic and comet, and a queue consumer. */
export function memoryJobInfra(registry: CometRegistry, online: OnlineRepository, consumer: QueueConsumer): JobInfra {
  return {
    registry,
    consumer,
    online,
    start: async () => undefined,
    stop: async () => undefined,
    ready: async () => ({ queue: true }),
  };
}
