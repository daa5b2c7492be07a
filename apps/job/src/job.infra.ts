import {
  type Clock,
  type CometRegistry,
  createRedis,
  KafkaConsumer,
  type Logger,
  type OnlineRepository,
  type QueueConsumer,
  RedisCometRegistry,
  RedisOnlineRepository,
} from '@imgate/common';
import type { JobConfig } from './job.config';

/** The comet registry and push consumer behind job's interfaces, with their lifecycle. */
export interface JobInfra {
  registry: CometRegistry;
  consumer: QueueConsumer;
  online: OnlineRepository;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<Record<string, boolean>>;
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
