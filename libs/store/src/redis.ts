import { Cluster, Redis } from 'ioredis';
import { type Logger, parseRedisTarget, redactRedisUrl, type RedisTls, tlsConnectOptions } from '@imgate/common';
import { slotSafePipeline } from './slot-safe-pipeline';

/** One server or a Redis Cluster: the same commands; multi-key commands and scripts stay in one slot. */
export type RedisClient = Redis | Cluster;

const RETRY = (attempt: number) => Math.min(attempt * 200, 2_000);

/**
 * One client per process; commands fail fast while Redis is down instead of queueing forever.
 * `redis+cluster://host:port,…` (REDIS_CLUSTER_NODES) gives ioredis' Cluster client, whose
 * `pipeline()` is replaced by one that splits across nodes (see slot-safe-pipeline.ts).
 * A `rediss` URL connects over TLS, verifying the server against `tls.ca` (else the system CAs).
 */
export function createRedis(url: string, logger: Logger, tls?: RedisTls): RedisClient {
  const target = parseRedisTarget(url);
  const common = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 };
  let client: RedisClient;
  if (target.kind === 'single') {
    // ioredis turns `rediss://` into `tls: true` only when no tls options are given.
    client = new Redis(url, { ...common, retryStrategy: RETRY, ...(url.startsWith('rediss:') ? { tls: tlsConnectOptions(tls) } : {}) });
  } else {
    const cluster = new Cluster(target.nodes, {
      lazyConnect: true,
      enableOfflineQueue: true,
      // No auto-pipelining: ioredis retries a pipeline on MOVED only when every command in it got
      // the same redirection, so after a failover a batch mixing slots would fail to its callers.
      // Single commands follow MOVED/ASK themselves.
      enableAutoPipelining: false,
      clusterRetryStrategy: RETRY,
      // A master that died: retry on the slot's new owner (failover takes cluster-node-timeout + an election).
      retryDelayOnFailover: 300,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 100,
      maxRedirections: 32,
      slotsRefreshTimeout: 2_000,
      redisOptions: {
        ...common,
        username: target.username,
        password: target.password,
        // Every node found through CLUSTER SLOTS is dialled with these too (its tls-port with tls-cluster yes).
        tls: target.tls ? tlsConnectOptions(tls) : undefined,
      },
    });
    cluster.on('+node', (node: Redis) => logger.debug({ node: `${node.options.host}:${node.options.port}` }, 'redis cluster node added'));
    client = slotSafePipeline(cluster);
  }
  client.on('error', (err: Error) => logger.warn({ err: err.message, redis: redactRedisUrl(url) }, 'redis error'));
  return client;
}

/** The master nodes to SCAN: every master of a cluster, or the one server. */
export function scanTargets(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** Every key matching `pattern` (SCAN, on every master of a cluster). */
export async function scanKeys(redis: RedisClient, pattern: string, count = 500): Promise<string[]> {
  const out: string[] = [];
  for (const node of scanTargets(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      out.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return out;
}

/** DELs keys that may sit on different slots (one command per key, sent as one batch per node). */
export async function deleteKeys(redis: RedisClient, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const p = redis.pipeline();
  for (const k of keys) p.del(k);
  const res = (await p.exec()) ?? [];
  let n = 0;
  for (const [err, v] of res) {
    if (err) throw err;
    n += Number(v);
  }
  return n;
}
