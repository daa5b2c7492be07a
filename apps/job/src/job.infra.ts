import { type Clock, DependencyStatus, type Logger, type RoleInfra } from '@imgate/common';
import { type CometRegistry, createRedis, type OnlineRepository, RedisCometRegistry, RedisOnlineRepository, startRedis } from '@imgate/store';
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
  const redis = createRedis(infra.redisUrl, logger, infra.redisTls);
  const redisStatus = new DependencyStatus('redis', clock, logger);
  const consumer = new KafkaConsumer(
    {
      brokers: infra.kafkaBrokers,
      security: infra.kafkaSecurity,
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
    // Neither Redis nor Kafka is needed to boot: job starts unready and catches up when they answer.
    async start() {
      startRedis(redis, redisStatus);
    },
    async stop() {
      redis.disconnect();
    },
    async ready() {
      return { redis: redisStatus.state(), kafka: consumer.running ? true : { ok: false, reason: consumer.lastError ?? 'not a member of the consumer group (kafka unreachable, or joining)' } };
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
