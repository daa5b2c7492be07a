import { type CometClient, loadCometProto } from '@imgate/contracts';
import { clusterClient } from '@imgate/common';
import { freePorts, TEST_API_KEY, TEST_CLUSTER_SECRET } from '@imgate/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BenchProc, distDir } from './procs';
import { sleep } from './stats';

/** logic, one comet and job as separate processes on the real Redis and Kafka, each with bench flags. */
export interface BenchCluster {
  run: string;
  logicUrl: string;
  logic: BenchProc;
  job: BenchProc;
  comet: { proc: BenchProc; ws: number; wsUrl: string; grpc: number; http: number; client: CometClient };
  stop(): Promise<void>;
}

/** Node flags of every server under test: a CPU profile for the report, a GC and memory reading (over IPC, role-hook) and a heap snapshot (SIGHUP) the bench can ask for. */
export function serverFlags(profileDir: string): string[] {
  return ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--heapsnapshot-signal=SIGHUP', '-r', join(distDir(), 'bench/lib/role-hook.js')];
}

export async function waitReady(url: string, proc: BenchProc, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`${proc.name} exited before ${url} answered:\n${proc.output.slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status}`;
      if (res.ok) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})\n${proc.output.slice(-3000)}`);
}

/**
 * `label` prefixes the log files (two clusters side by side); `logicEnv` adds settings to logic's
 * (e.g. LOGIC_STREAMS=off).
 */
export async function startBenchCluster(opts: { logDir: string; profileDir: string; cometFlags?: string[]; label?: string; logicEnv?: Record<string, string> }): Promise<BenchCluster> {
  const run = `bench-${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    REDIS_PREFIX: `${run}:`,
    KAFKA_PUSH_TOPIC: `imgate-push-${run}`,
    KAFKA_UPSTREAM_TOPIC: `imgate-upstream-${run}`,
    KAFKA_PARTITIONS: '4',
    // Dev auth trusts the mid in the auth body: the bench measures the gateway, not JWT checks.
    LOGIC_AUTH_MODE: 'dev',
    IMGATE_ALLOW_DEV_AUTH: '1',
    // The push API needs a key (senders send it) and the roles prove membership with the cluster secret.
    LOGIC_API_KEYS: TEST_API_KEY,
    CLUSTER_SECRET: TEST_CLUSTER_SECRET,
    JOB_GROUP_ID: `job-${run}`,
    // At the end the bench closes its clients first; the comet need not wait for them to move.
    COMET_DRAIN_TIMEOUT_MS: '1000',
    // Tens of thousands of clients from one address, and room members that never send: no
    // per-address limits (they would count the whole bench as one client).
    COMET_MAX_CONNS_PER_IP: '0',
    COMET_AUTH_RATE_PER_IP: '0',
  };
  const flags = serverFlags(opts.profileDir);
  const main = (role: string) => join(distDir(), 'apps', role, 'src/main.js');
  const logFile = (role: string) => join(opts.logDir, `${opts.label ? `${opts.label}-` : ''}${role}.log`);
  const started: BenchProc[] = [];
  // comet first (it tells logic about every connection it drops), logic last.
  const stop = async () => {
    for (const p of [...started].reverse().sort((a, b) => Number(b.name === 'comet') - Number(a.name === 'comet'))) await p.stop();
  };
  try {
    const [logicHttp, logicGrpc, jobHttp, tcp, ws, cometGrpc, cometHttp, kcp] = await freePorts(8);
    const logic = new BenchProc('logic', main('logic'), {
      execArgv: flags,
      env: { ...env, ...opts.logicEnv, LOGIC_HTTP_PORT: String(logicHttp), LOGIC_GRPC_ADDR: `127.0.0.1:${logicGrpc}` },
      logFile: logFile('logic'),
      cwd: opts.logDir,
    });
    started.push(logic);
    await waitReady(`http://127.0.0.1:${logicHttp}/health/ready`, logic, 60_000);
    const comet = new BenchProc('comet', main('comet'), {
      execArgv: [...flags, ...(opts.cometFlags ?? [])],
      env: {
        ...env,
        COMET_ID: `comet-${run}`,
        COMET_TCP_PORT: String(tcp),
        COMET_WS_PORT: String(ws),
        COMET_GRPC_PORT: String(cometGrpc),
        COMET_HTTP_PORT: String(cometHttp),
        COMET_KCP_PORT: String(kcp),
        COMET_LOGIC_ADDR: `127.0.0.1:${logicGrpc}`,
      },
      logFile: logFile('comet'),
      cwd: opts.logDir,
    });
    started.push(comet);
    await waitReady(`http://127.0.0.1:${cometHttp}/health/ready`, comet, 60_000);
    const job = new BenchProc('job', main('job'), {
      execArgv: flags,
      env: { ...env, JOB_HTTP_PORT: String(jobHttp) },
      logFile: logFile('job'),
      cwd: opts.logDir,
    });
    started.push(job);
    await waitReady(`http://127.0.0.1:${jobHttp}/health/ready`, job, 60_000);
    const proto = loadCometProto();
    // The bench calls the comet as job does: with job's CLUSTER_SECRET proof on every call.
    const member = clusterClient({ mode: 'secret', secret: Buffer.from(TEST_CLUSTER_SECRET) }, { role: 'job', id: '' });
    const client = new proto.imgate.comet.Comet(`127.0.0.1:${cometGrpc}`, member.credentials, member.options);
    return {
      run,
      logicUrl: `http://127.0.0.1:${logicHttp}`,
      logic,
      job,
      comet: { proc: comet, ws, wsUrl: `ws://127.0.0.1:${ws}/sub`, grpc: cometGrpc, http: cometHttp, client },
      async stop() {
        client.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Values of the named metrics on a Prometheus text endpoint (labelled series summed). */
export async function scrape(url: string, names: string[]): Promise<Record<string, number>> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    const brace = line.indexOf('{');
    const name = brace >= 0 && brace < sp ? line.slice(0, brace) : line.slice(0, sp);
    if (names.includes(name)) out[name] = (out[name] ?? 0) + Number(line.slice(sp + 1));
  }
  return out;
}
