import { freePorts } from './ports';
import { RoleProcess, testOutputDir, waitHttpOk } from './processes';

export interface Embedded {
  proc: RoleProcess;
  tcp: number;
  ws: number;
  wsUrl: string;
  /** UDP port of the KCP listener. */
  kcp: number;
  logicUrl: string;
  stop(): Promise<void>;
}

/** The embedded default (logic, comet and job in one process, in-memory store and queue) on free ports. */
export async function startEmbedded(name: string, env: Record<string, string> = {}): Promise<Embedded> {
  const [tcp, ws, grpc, http, lhttp, lgrpc, jhttp, kcp] = await freePorts(8);
  const proc = new RoleProcess('embedded', 'embedded', {
    COMET_TCP_PORT: String(tcp),
    COMET_WS_PORT: String(ws),
    COMET_GRPC_PORT: String(grpc),
    COMET_HTTP_PORT: String(http),
    // Not the default 3103: two embedded processes (or a test and a developer's) may run at once.
    COMET_KCP_PORT: String(kcp),
    LOGIC_HTTP_PORT: String(lhttp),
    LOGIC_GRPC_ADDR: `127.0.0.1:${lgrpc}`,
    COMET_LOGIC_ADDR: `127.0.0.1:${lgrpc}`,
    JOB_HTTP_PORT: String(jhttp),
    ...env,
  }, testOutputDir(name)).start();
  try {
    await waitHttpOk(`http://127.0.0.1:${jhttp}/health/ready`, 30_000, proc);
    await waitHttpOk(`http://127.0.0.1:${lhttp}/health/ready`, 30_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, tcp, ws, wsUrl: `ws://127.0.0.1:${ws}/sub`, kcp, logicUrl: `http://127.0.0.1:${lhttp}`, stop: () => proc.stop() };
}
