import { type Clock, DependencyStatus, type Logger, retryForever, type RoleInfra } from '@imgate/common';
import { type CometRegistry, createRedis, MemoryCometRegistry, type MemoryOnlineRepository, type OnlineRepository, RedisOnlineRepository, RedisCometRegistry, startRedis } from '@imgate/store';
import { KafkaProducer, type MemoryQueue, type QueueProducer } from '@imgate/queue';
import type { ConnectionRecordRepository } from './connections/connection-record';
import { MemoryConnectionRecordRepository } from './connections/memory-connection-record.repository';
import { RedisConnectionRecordRepository } from './connections/redis-connection-record.repository';
import type { AckRepository, AckSettings } from './delivery/ack.repository';
import type { IdempotencyRepository } from './delivery/idempotency.repository';
import { MemoryAckRepository } from './delivery/memory-ack.repository';
import { MemoryIdempotencyRepository } from './delivery/memory-idempotency.repository';
import { MemoryStreamRepository } from './delivery/memory-stream.repository';
import { MemoryNodeLease, type NodeLease, RedisNodeLease } from './delivery/node-lease';
import { RedisAckRepository } from './delivery/redis-ack.repository';
import { RedisIdempotencyRepository } from './delivery/redis-idempotency.repository';
import { RedisStreamRepository } from './delivery/redis-stream.repository';
import { DEFAULT_STREAM_SETTINGS, type StreamRepository, type StreamSettings } from './delivery/stream.repository';
import type { DeliveryConfig, LogicConfig } from './logic.config';
import type { LoginRepository } from './access/login.repository';
import { MemoryLoginRepository } from './access/memory-login.repository';
import { RedisLoginRepository } from './access/redis-login.repository';
import { MemoryRevocationRepository, RedisRevocationRepository, type RevocationRepository } from './access/revocation.repository';
import { MemorySessionRepository } from './session/memory-session.repository';
import { RedisSessionRepository } from './session/redis-session.repository';
import type { SessionRepository } from './session/session.repository';

/** The stores behind logic's interfaces, with their lifecycle. */
export interface LogicInfra extends RoleInfra {
  sessions: SessionRepository;
  /** Per connection: where and from which address (`/v1/connections`), and what a resume restores. */
  connections: ConnectionRecordRepository;
  producer: QueueProducer;
  registry: CometRegistry;
  online: OnlineRepository;
  streams: StreamRepository;
  acks: AckRepository;
  idempotency: IdempotencyRepository;
  /** The snowflake node id; started with the infra, released on stop. */
  lease: NodeLease;
  /** Access control (docs/security.md): login records and revocations. */
  logins: LoginRepository;
  revocations: RevocationRepository;
}

export function streamSettings(delivery: DeliveryConfig): StreamSettings {
  return {
    userSize: delivery.userHistorySize,
    userTtlSec: delivery.userHistoryTtlSec,
    roomSize: delivery.roomHistorySize,
    roomTtlSec: delivery.roomHistoryTtlSec,
  };
}

/** Acks live as long as the user stream's meta: 2× the user age bound (docs/delivery.md). */
function ackSettings(history: StreamSettings): AckSettings {
  return { maxDevices: 32, ttlSec: 2 * history.userTtlSec };
}

/**
 * Neither Redis nor Kafka is needed to boot: logic serves HTTP and gRPC at once, unready, and
 * answers what needs them with 503 / UNAVAILABLE until they answer (the snowflake lease and the
 * producer connect in the background, retrying with backoff).
 */
export function redisKafkaInfra(config: LogicConfig, logger: Logger, clock: Clock): LogicInfra {
  const { infra } = config;
  const redis = createRedis(infra.redisUrl, logger, infra.redisTls);
  const redisStatus = new DependencyStatus('redis', clock, logger);
  const kafkaStatus = new DependencyStatus('kafka', clock, logger);
  const producer = new KafkaProducer(
    { brokers: infra.kafkaBrokers, security: infra.kafkaSecurity, clientId: `${infra.kafkaClientId}-logic`, topics: [infra.pushTopic, infra.upstreamTopic], partitions: infra.kafkaPartitions },
    { maxQueued: config.pushQueueMax, timeoutMs: config.pushTimeoutMs },
    kafkaStatus,
    logger,
  );
  const history = streamSettings(config.delivery);
  const lease = new RedisNodeLease(redis, infra.redisPrefix, (id, previous) => logger.warn({ id, previous }, 'snowflake node id lease moved'), {
    clock,
    onError: (err) => logger.warn({ err }, 'snowflake node id lease renewal failed'),
  });
  let stopped = false;
  return {
    sessions: new RedisSessionRepository(redis, infra.redisPrefix),
    connections: new RedisConnectionRecordRepository(redis, infra.redisPrefix),
    producer,
    registry: new RedisCometRegistry(redis, infra.redisPrefix, infra.registryTtlMs, clock),
    online: new RedisOnlineRepository(redis, infra.redisPrefix, logger),
    streams: new RedisStreamRepository(redis, infra.redisPrefix, clock, history),
    acks: new RedisAckRepository(redis, infra.redisPrefix, clock, ackSettings(history)),
    idempotency: new RedisIdempotencyRepository(redis, infra.redisPrefix),
    lease,
    logins: new RedisLoginRepository(redis, infra.redisPrefix),
    revocations: new RedisRevocationRepository(redis, infra.redisPrefix),
    async start() {
      startRedis(redis, redisStatus);
      void retryForever(async () => logger.info({ node: await lease.start() }, 'snowflake node id leased'), {
        stopped: () => stopped,
        onError: (err, delayMs) => logger.warn({ err: err.message, delayMs }, 'snowflake node id not leased yet (redis unavailable?); retrying'),
      });
      await producer.start();
    },
    async stop() {
      stopped = true;
      await producer.stop().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'kafka producer did not stop cleanly'));
      await lease.stop().catch((err: unknown) => logger.warn({ err }, 'snowflake node id lease release failed'));
      redis.disconnect();
    },
    async ready() {
      const leased = lease.id >= 0 ? true : { ok: false, reason: 'no snowflake node id leased yet' };
      return { redis: redisStatus.state(), kafka: kafkaStatus.state(), lease: leased };
    },
  };
}

/** The embedded default; `history` defaults to the documented bounds (pass the config's to honour LOGIC_*_HISTORY_*). */
export function memoryInfra(
  queue: MemoryQueue,
  registry: MemoryCometRegistry,
  online: MemoryOnlineRepository,
  clock: Clock,
  history: StreamSettings = DEFAULT_STREAM_SETTINGS,
): LogicInfra & { sessions: MemorySessionRepository } {
  const sessions = new MemorySessionRepository(clock);
  const connections = new MemoryConnectionRecordRepository(clock);
  const streams = new MemoryStreamRepository(clock, history);
  const acks = new MemoryAckRepository(streams, clock, ackSettings(history));
  const idempotency = new MemoryIdempotencyRepository(clock);
  const lease = new MemoryNodeLease();
  const logins = new MemoryLoginRepository(clock);
  const revocations = new MemoryRevocationRepository(clock);
  let sweeper: NodeJS.Timeout | undefined;
  return {
    sessions,
    connections,
    producer: queue,
    registry,
    online,
    streams,
    acks,
    idempotency,
    lease,
    logins,
    revocations,
    async start() {
      await lease.start();
      sweeper = setInterval(() => {
        sessions.sweep();
        connections.sweep();
        streams.sweep();
        acks.sweep();
        idempotency.sweep();
        logins.sweep();
        revocations.sweep();
      }, 30_000).unref();
    },
    async stop() {
      clearInterval(sweeper);
      await lease.stop();
    },
    async ready() {
      return { store: true, queue: true };
    },
  };
}
