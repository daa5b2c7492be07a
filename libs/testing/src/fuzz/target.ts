import { type ChildProcess, fork } from 'node:child_process';
import { appendFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '../ports';
import { repoRoot, testOutputDir, waitHttpOk } from '../processes';

/** The embedded default (comet, logic and job in one process) started for fuzzing, with a GC-and-measure hook. */
export interface FuzzTarget {
  tcp: number;
  ws: number;
  kcp: number;
  cometGrpc: number;
  cometHttp: number;
  logicUrl: string;
  logicGrpc: number;
  child: ChildProcess;
  alive(): boolean;
  /** Heap in use after a full GC, in bytes. */
  heapAfterGc(): Promise<number>;
  stop(): Promise<void>;
}

export async function startFuzzTarget(name: string, env: Record<string, string> = {}): Promise<FuzzTarget> {
  const [tcp, ws, kcp, cometGrpc, cometHttp, logicHttp, logicGrpc, jobHttp] = await freePorts(8);
  const dir = testOutputDir(name);
  const log = createWriteStream(join(dir, 'embedded.log'), { flags: 'a' });
  const child = fork(join(repoRoot(), 'dist/apps/embedded/src/main.js'), [], {
    execArgv: ['--expose-gc', '-r', join(__dirname, 'gc-hook.js')],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'error',
      COMET_TCP_PORT: String(tcp),
      COMET_WS_PORT: String(ws),
      COMET_KCP_PORT: String(kcp),
      COMET_GRPC_PORT: String(cometGrpc),
      COMET_HTTP_PORT: String(cometHttp),
      LOGIC_HTTP_PORT: String(logicHttp),
      LOGIC_GRPC_ADDR: `127.0.0.1:${logicGrpc}`,
      COMET_LOGIC_ADDR: `127.0.0.1:${logicGrpc}`,
      JOB_HTTP_PORT: String(jobHttp),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  if (process.env.IMGATE_TEST_PIDS && child.pid) appendFileSync(process.env.IMGATE_TEST_PIDS, `${child.pid}\n`);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  let ids = 0;
  const target: FuzzTarget = {
    tcp, ws, kcp, cometGrpc, cometHttp, logicGrpc,
    logicUrl: `http://127.0.0.1:${logicHttp}`,
    child,
    alive,
    heapAfterGc() {
      const id = ++ids;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no memory reading within 30 s')), 30_000);
        const onMessage = (m: { type?: string; id?: number; heapUsed?: number }) => {
          if (m.type !== 'mem' || m.id !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m.heapUsed ?? 0);
        };
        child.on('message', onMessage);
        child.send({ type: 'mem', id });
      });
    },
    async stop() {
      if (!alive()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitHttpOk(`http://127.0.0.1:${jobHttp}/health/ready`, 60_000);
    await waitHttpOk(`${target.logicUrl}/health/ready`, 60_000);
    await waitHttpOk(`http://127.0.0.1:${cometHttp}/health/ready`, 60_000);
  } catch (err) {
    await target.stop();
    throw err;
  }
  return target;
}
