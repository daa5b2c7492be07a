import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './processes';

/** One node of the local Redis Cluster as `CLUSTER NODES` shows it. */
export interface ClusterNodeInfo {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** The master's id, for a replica. */
  master?: string;
  failed: boolean;
}

function script(cmd: 'up' | 'nodes'): string {
  return execFileSync('bash', [join(repoRoot(), 'scripts/redis-cluster.sh'), cmd], { cwd: repoRoot(), encoding: 'utf8', timeout: 120_000 });
}

/** Starts the local Redis Cluster (scripts/redis-cluster.sh up: idempotent, left running) and returns its `redis+cluster://` URL. */
export function ensureRedisCluster(): string {
  script('up');
  return `redis+cluster://${script('nodes').trim()}`;
}

/**
 * The port of the local cluster's first node (REDIS_CLUSTER_PORT, 7000 by default), where a test
 * reads CLUSTER NODES: a run on other ports must never reach (or fail over) a cluster on 7000.
 */
export function redisClusterPort(): number {
  return Number(script('nodes').trim().split(',')[0].split(':').at(-1));
}

export function redisCli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
}

/** The cluster's nodes as the node on `port` sees them. */
export function clusterNodes(port: number): ClusterNodeInfo[] {
  return redisCli(port, 'CLUSTER', 'NODES').trim().split('\n').map((line) => {
    const [id, addr, flags, master] = line.split(' ');
    const f = flags.split(',');
    return {
      id,
      port: Number(addr.split('@')[0].split(':').at(-1)),
      role: f.includes('master') ? 'master' : 'replica',
      master: master === '-' ? undefined : master,
      failed: f.includes('fail') || f.includes('fail?'),
    };
  });
}

/** The ports of the cluster's masters and, for each, a healthy replica. */
export function masterReplicaPairs(port: number): Array<{ master: number; replica: number }> {
  const nodes = clusterNodes(port).filter((n) => !n.failed);
  return nodes
    .filter((n) => n.role === 'master')
    .flatMap((m) => {
      const r = nodes.find((n) => n.role === 'replica' && n.master === m.id);
      return r ? [{ master: m.port, replica: r.port }] : [];
    });
}
