import { randomBytes } from 'node:crypto';
import { clusterUrl } from '@imgate/common';
import { TEST_CLUSTER_SECRET } from './grpc-auth';
import { TEST_API_KEY, TEST_JWT_SECRET, apiHeaders } from './jwt';
import { freePorts } from './ports';
import { RoleProcess, testOutputDir, waitHttpOk } from './processes';

export interface CometHandle {
  id: string;
  tcp: number;
  ws: number;
  wsUrl: string;
  /** UDP port of the KCP listener. */
  kcp: number;
  grpc: number;
  http: number;
  proc: RoleProcess;
}

export interface Cluster {
  name: string;
  env: Record<string, string>;
  logic: { http: number; grpc: number; url: string; proc: RoleProcess };
  comets: CometHandle[];
  job: { http: number; proc: RoleProcess; env: Record<string, string> };
  startJob(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  name: string;
  comets?: number;
  env?: Record<string, string>;
  /** Settings for one comet only, given its id (e.g. its own certificate: COMET_GRPC_TLS_CERT/KEY). */
  cometEnv?: (id: string) => Record<string, string>;
}

/** A comet's own settings: its id, its ports and where logic is. */
export function cometEnv(id: string, p: { tcp: number; ws: number; grpc: number; http: number; kcp: number }, logicGrpc: number): Record<string, string> {
  return {
    COMET_ID: id,
    COMET_TCP_PORT: String(p.tcp),
    COMET_WS_PORT: String(p.ws),
    COMET_GRPC_PORT: String(p.grpc),
    COMET_HTTP_PORT: String(p.http),
    COMET_KCP_PORT: String(p.kcp),
    COMET_LOGIC_ADDR: `127.0.0.1:${logicGrpc}`,
  };
}

/**
 * The Redis the tests run against: REDIS_URL (default local), or with REDIS_CLUSTER_NODES set the
 * Redis Cluster on those nodes, as a `redis+cluster://` URL. Roles get it as REDIS_URL (not as
 * REDIS_CLUSTER_NODES), so a test that points a cluster at its own Redis through `env` still can.
 */
export function testRedisUrl(): string {
  const base = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const nodes = process.env.REDIS_CLUSTER_NODES?.split(',').map((n) => n.trim()).filter(Boolean);
  return nodes?.length ? clusterUrl(base, nodes) : base;
}

/**
 * The settings every test cluster runs with (Redis from testRedisUrl(), Kafka from KAFKA_BROKERS): a run name, its own key prefix, topics and consumer
 * group, the test JWT secret and API key, quick registry timings; `extra` overrides.
 */
export function testClusterEnv(name: string, extra: Record<string, string> = {}): { run: string; env: Record<string, string> } {
  const run = `${name}-${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    LOG_LEVEL: 'info',
    REDIS_URL: testRedisUrl(),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    REDIS_PREFIX: `t:${run}:`,
    KAFKA_PUSH_TOPIC: `imgate-push-${run}`,
    KAFKA_UPSTREAM_TOPIC: `imgate-upstream-${run}`,
    KAFKA_PARTITIONS: '4',
    REGISTRY_TTL_MS: '3000',
    LOGIC_AUTH_MODE: 'jwt',
    LOGIC_JWT_SECRET: TEST_JWT_SECRET,
    LOGIC_API_KEYS: TEST_API_KEY,
    CLUSTER_SECRET: TEST_CLUSTER_SECRET,
    COMET_REGISTER_INTERVAL_MS: '500',
    JOB_REGISTRY_REFRESH_MS: '500',
    JOB_GROUP_ID: `job-${run}`,
    // Every test client comes from 127.0.0.1: per-address limits would count them all as one
    // client. limits.e2e.ts sets its own (and uses 127.0.0.2 for the neighbour).
    COMET_MAX_CONNS_PER_IP: '0',
    COMET_AUTH_RATE_PER_IP: '0',
    ...extra,
  };
  return { run, env };
}

/**
 * logic, N comets and job as separate processes against the real Redis and Kafka (REDIS_URL /
 * KAFKA_BROKERS, default local). Every run gets its own key prefix, topics and consumer group.
 * Logic requires TEST_API_KEY; the roles prove membership with TEST_CLUSTER_SECRET (or mTLS
 * when the env names certificates, e.g. from makeTestPki).
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const { run, env } = testClusterEnv(opts.name, opts.env);
  const dir = testOutputDir(opts.name);
  const [logicHttp, logicGrpc, jobHttp] = await freePorts(3);
  const logic = new RoleProcess('logic', 'logic', { ...env, LOGIC_HTTP_PORT: String(logicHttp), LOGIC_GRPC_ADDR: `127.0.0.1:${logicGrpc}` }, dir).start();
  const started: RoleProcess[] = [logic];
  try {
    await waitHttpOk(`http://127.0.0.1:${logicHttp}/health/ready`, 60_000, logic);
    const comets: CometHandle[] = [];
    for (let i = 0; i < (opts.comets ?? 1); i++) {
      const [tcp, ws, grpc, http, kcp] = await freePorts(5);
      const id = `comet-${i + 1}-${run}`;
      const proc = new RoleProcess(`comet-${i + 1}`, 'comet', { ...env, ...cometEnv(id, { tcp, ws, grpc, http, kcp }, logicGrpc), ...opts.cometEnv?.(id) }, dir).start();
      started.push(proc);
      comets.push({ id, tcp, ws, wsUrl: `ws://127.0.0.1:${ws}/sub`, kcp, grpc, http, proc });
    }
    for (const c of comets) await waitHttpOk(`http://127.0.0.1:${c.http}/health/ready`, 30_000, c.proc);
    const jobEnv = { ...env, JOB_HTTP_PORT: String(jobHttp) };
    const cluster: Cluster = {
      name: run,
      env,
      logic: { http: logicHttp, grpc: logicGrpc, url: `http://127.0.0.1:${logicHttp}`, proc: logic },
      comets,
      job: { http: jobHttp, proc: new RoleProcess('job', 'job', jobEnv, dir), env: jobEnv },
      async startJob() {
        this.job.proc = new RoleProcess('job', 'job', jobEnv, dir).start();
        started.push(this.job.proc);
        await waitHttpOk(`http://127.0.0.1:${jobHttp}/health/ready`, 60_000, this.job.proc);
      },
      async stop() {
        await Promise.all(started.map((p) => p.stop()));
      },
    };
    await cluster.startJob();
    return cluster;
  } catch (err) {
    await Promise.all(started.map((p) => p.stop()));
    throw err;
  }
}

/** POSTs to logic with the test API key and returns status + parsed JSON. */
export async function post(url: string, body: string | object, contentType?: string, headers: Record<string, string> = apiHeaders()): Promise<{ status: number; json: Record<string, unknown> }> {
  const isJson = typeof body === 'object';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType ?? (isJson ? 'application/json' : 'text/plain'), ...headers },
    body: isJson ? JSON.stringify(body) : body,
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}
