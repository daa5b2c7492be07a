import { LOG_LEVELS, type LogLevel } from './logger';
import { ConfigError, Env } from './env';
import { clusterUrl, parseRedisTarget } from './redis-target';

/** Settings every role shares: where Redis and Kafka are, topic names, key prefix, log level. */
export interface InfraConfig {
  logLevel: LogLevel;
  /** `redis://…` for one server, `redis+cluster://host:port,…` for a Redis Cluster (REDIS_CLUSTER_NODES). */
  redisUrl: string;
  /** Prefix of every Redis key, so several clusters (or test runs) can share one Redis. */
  redisPrefix: string;
  kafkaBrokers: string[];
  kafkaClientId: string;
  pushTopic: string;
  upstreamTopic: string;
  kafkaPartitions: number;
  /** How long a comet stays listed after its last announcement. */
  registryTtlMs: number;
}

const TOPIC = /^[A-Za-z0-9._-]{1,200}$/;

export function loadInfraConfig(env: Env): InfraConfig {
  return {
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    redisUrl: redisUrl(env),
    redisPrefix: env.str('REDIS_PREFIX', 'imgate:', /^[A-Za-z0-9:_.-]{0,64}$/),
    kafkaBrokers: env.addressList('KAFKA_BROKERS', ['127.0.0.1:9092']),
    kafkaClientId: env.str('KAFKA_CLIENT_ID', 'imgate', /^[A-Za-z0-9._-]{1,64}$/),
    pushTopic: env.str('KAFKA_PUSH_TOPIC', 'imgate-push', TOPIC),
    upstreamTopic: env.str('KAFKA_UPSTREAM_TOPIC', 'imgate-upstream', TOPIC),
    kafkaPartitions: env.int('KAFKA_PARTITIONS', 8, 1, 1024),
    registryTtlMs: env.int('REGISTRY_TTL_MS', 15_000, 1_000, 600_000),
  };
}

/** REDIS_URL, or a cluster URL over REDIS_CLUSTER_NODES (with REDIS_URL's scheme and credentials). */
function redisUrl(env: Env): string {
  const base = env.str('REDIS_URL', 'redis://127.0.0.1:6379');
  const nodes = env.optional('REDIS_CLUSTER_NODES') === undefined ? undefined : env.addressList('REDIS_CLUSTER_NODES', []);
  const [name, url] = nodes ? ['REDIS_CLUSTER_NODES', clusterUrl(base, nodes)] : ['REDIS_URL', base];
  try {
    parseRedisTarget(url);
  } catch (err) {
    throw new ConfigError(name, `${(err as Error).message} (got "${url.replace(/\/\/[^@/]*@/, '//***@')}")`);
  }
  return url;
}
