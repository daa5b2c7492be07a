import { LOG_LEVELS, type LogLevel } from './logger';
import { ConfigError, Env } from './env';
import { optionalPemSetting, secretSetting, type TlsFiles } from './file-settings';
import { type KafkaSecurity, loadKafkaSecurity } from './kafka-security';
import { clusterUrl, parseRedisTarget } from './redis-target';

/** TLS material for a `rediss://` Redis: a private CA, and a client certificate when Redis asks for one (tls-auth-clients). */
export type RedisTls = TlsFiles;

/** Settings every role shares: where Redis and Kafka are, topic names, key prefix, log level. */
export interface InfraConfig {
  logLevel: LogLevel;
  /** `redis://…` for one server, `redis+cluster://host:port,…` for a Redis Cluster (REDIS_CLUSTER_NODES). */
  redisUrl: string;
  /** With a `rediss` URL: REDIS_TLS_CA/CERT/KEY (undefined: the system CAs, no client certificate). */
  redisTls?: RedisTls;
  /** Prefix of every Redis key, so several clusters (or test runs) can share one Redis. */
  redisPrefix: string;
  kafkaBrokers: string[];
  /** KAFKA_SSL* and KAFKA_SASL_* (both absent: plaintext, no authentication). */
  kafkaSecurity: KafkaSecurity;
  kafkaClientId: string;
  pushTopic: string;
  upstreamTopic: string;
  kafkaPartitions: number;
  /** How long a comet stays listed after its last announcement. */
  registryTtlMs: number;
}

const TOPIC = /^[A-Za-z0-9._-]{1,200}$/;

export function loadInfraConfig(env: Env): InfraConfig {
  const url = redisUrl(env);
  return {
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    redisUrl: url,
    redisTls: redisTls(env, url),
    redisPrefix: env.str('REDIS_PREFIX', 'imgate:', /^[A-Za-z0-9:_.-]{0,64}$/),
    kafkaBrokers: env.addressList('KAFKA_BROKERS', ['127.0.0.1:9092']),
    kafkaSecurity: loadKafkaSecurity(env),
    kafkaClientId: env.str('KAFKA_CLIENT_ID', 'imgate', /^[A-Za-z0-9._-]{1,64}$/),
    pushTopic: env.str('KAFKA_PUSH_TOPIC', 'imgate-push', TOPIC),
    upstreamTopic: env.str('KAFKA_UPSTREAM_TOPIC', 'imgate-upstream', TOPIC),
    kafkaPartitions: env.int('KAFKA_PARTITIONS', 8, 1, 1024),
    registryTtlMs: env.int('REGISTRY_TTL_MS', 15_000, 1_000, 600_000),
  };
}

/**
 * REDIS_URL (or REDIS_URL_FILE, a mounted secret, since the URL carries the password), or a
 * cluster URL over REDIS_CLUSTER_NODES (with REDIS_URL's scheme and credentials).
 */
function redisUrl(env: Env): string {
  const base = secretSetting(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379';
  const nodes = env.optional('REDIS_CLUSTER_NODES') === undefined ? undefined : env.addressList('REDIS_CLUSTER_NODES', []);
  const [name, url] = nodes ? ['REDIS_CLUSTER_NODES', clusterUrl(base, nodes)] : ['REDIS_URL', base];
  try {
    parseRedisTarget(url);
  } catch (err) {
    throw new ConfigError(name, `${(err as Error).message} (got "${url.replace(/\/\/[^@/]*@/, '//***@')}")`);
  }
  return url;
}

/**
 * REDIS_TLS_CA/CERT/KEY go with a `rediss://` or `rediss+cluster://` URL only: a CA next to a
 * plaintext URL would let an operator believe Redis traffic is encrypted when it is not.
 */
function redisTls(env: Env, url: string): RedisTls | undefined {
  const names = ['REDIS_TLS_CA', 'REDIS_TLS_CERT', 'REDIS_TLS_KEY'];
  const set = names.filter((n) => env.optional(n) !== undefined);
  if (set.length === 0) return undefined;
  if (!url.startsWith('rediss')) throw new ConfigError(set[0], 'is set but the Redis URL is not rediss:// (or rediss+cluster://); use the rediss scheme for TLS');
  if (set.includes('REDIS_TLS_CERT') !== set.includes('REDIS_TLS_KEY')) {
    throw new ConfigError(set.includes('REDIS_TLS_CERT') ? 'REDIS_TLS_KEY' : 'REDIS_TLS_CERT', 'must be set too: REDIS_TLS_CERT and REDIS_TLS_KEY (a client certificate) go together');
  }
  return {
    ca: optionalPemSetting(env, 'REDIS_TLS_CA', 'certificate'),
    cert: optionalPemSetting(env, 'REDIS_TLS_CERT', 'certificate'),
    key: optionalPemSetting(env, 'REDIS_TLS_KEY', 'key'),
  };
}
