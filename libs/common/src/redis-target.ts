/**
 * Where Redis is: one server (`redis://` / `rediss://`, handed to ioredis as is) or a Redis Cluster
 * (`redis+cluster://[user:password@]host:port,host:port` or `rediss+cluster://` for TLS). Pure: the
 * config validates with it, libs/store's createRedis connects with it.
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: Array<{ host: string; port: number }>; tls: boolean; username?: string; password?: string };

const CLUSTER = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?$/;
const NODE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses a Redis URL; throws a RangeError saying what is wrong. */
export function parseRedisTarget(url: string): RedisTarget {
  const cluster = CLUSTER.exec(url);
  if (cluster) {
    const [, scheme, auth, hosts] = cluster;
    const nodes = hosts.split(',').map((h) => {
      const m = NODE.exec(h.trim());
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new RangeError(`cluster node "${h}" is not host:port`);
      return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
    });
    const target: RedisTarget = { kind: 'cluster', nodes, tls: scheme === 'rediss' };
    if (auth) {
      const sep = auth.indexOf(':');
      const user = decodeURIComponent(sep < 0 ? auth : auth.slice(0, sep));
      if (user) target.username = user;
      if (sep >= 0) target.password = decodeURIComponent(auth.slice(sep + 1));
    }
    return target;
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RangeError('must be a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RangeError('must use redis:, rediss:, redis+cluster: or rediss+cluster:');
  return { kind: 'single', url };
}

/**
 * REDIS_CLUSTER_NODES turns REDIS_URL into a cluster URL over those nodes, keeping its TLS scheme
 * and credentials (`rediss://:pw@x` + `a:7000,b:7000` → `rediss+cluster://:pw@a:7000,b:7000`).
 */
export function clusterUrl(base: string, nodes: readonly string[]): string {
  const m = /^(rediss?)(?:\+cluster)?:\/\/(?:([^@/]*)@)?/.exec(base);
  const scheme = m?.[1] ?? 'redis';
  const auth = m?.[2] ? `${m[2]}@` : '';
  return `${scheme}+cluster://${auth}${nodes.join(',')}`;
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
