import type { Clock, Logger, RoleInfra } from '@imgate/common';
import { type CometRegistry, createRedis, MemoryCometRegistry, type MemoryOnlineRepository, type OnlineRepository, RedisOnlineRepository, RedisCometRegistry } from '@imgate/store';
import { KafkaProducer, type MemoryQueue, type QueueProducer } from '@imgate/queue';
import type { LogicConfig } from './logic.config';
import { MemorySessionRepository } from './session/memory-session.repository';
import { RedisSessionRepository } from './session/redis-session.repository';
import type { SessionRepository } from './session/session.repository';

/** The stores behind logic's interfaces, with their lifecycle. */
export interface LogicInfra extends RoleInfra {
  sessions: SessionRepository;
  producer: QueueProducer;
  registry: CometRegistry;
  online: OnlineRepository;
}

export function redisKafkaInfra(config: LogicConfig, logger: Logger, clock: Clock): LogicInfra {
  const { infra } = config;
  const redis = createRedis(infra.redisUrl, logger);
  const producer = new KafkaProducer(
    { brokers: infra.kafkaBrokers, clientId: `${infra.kafkaClientId}-logic`, topics: [infra.pushTopic, infra.upstreamTopic], partitions: infra.kafkaPartitions },
    logger,
  );
  let producing = false;
  return {
    sessions: new RedisSessionRepository(redis, infra.redisPrefix),
    producer,
    registry: new RedisCometRegistry(redis, infra.redisPrefix, infra.registryTtlMs, clock),
    online: new RedisOnlineRepository(redis, infra.redisPrefix, logger),
    async start() {
      await redis.connect();
      await producer.start();
      producing = true;
    },
    async stop() {
      producing = false;
      await producer.stop();
      redis.disconnect();
    },
    async ready() {
      const redisOk = await redis.ping().then((r) => r === 'PONG', () => false);
      return { redis: redisOk, kafka: producing };
    },
  };
}

export function memoryInfra(
  queue: MemoryQueue,
  registry: MemoryCometRegistry,
  online: MemoryOnlineRepository,
  clock: Clock,
): LogicInfra & { sessions: MemorySessionRepository } {
  const sessions = new MemorySessionRepository(clock);
  let sweeper: NodeJS.Timeout | undefined;
  return {
    sessions,
    producer: queue,
    registry,
    online,
    async start() {
      sweeper = setInterval(() => sessions.sweep(), 30_000).unref();
    },
    async stop() {
      clearInterval(sweeper);
    },
    async ready() {
      return { store: true, queue: true };
    },
  };
}
