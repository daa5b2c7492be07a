import { cometEnv } from './cluster';
import { freePorts } from './ports';
import { type Role, RoleProcess, type RoleProcessOptions, testOutputDir, waitHttpOk } from './processes';

/** One role's process with fixed ports: `restart()` starts it again as it was (same id, same ports). */
export class RoleHandle {
  proc: RoleProcess;

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly env: Record<string, string>,
    readonly http: number,
    private readonly dir: string,
    private readonly options: RoleProcessOptions,
    private readonly started: RoleProcess[],
  ) {
    this.proc = this.spawn();
  }

  private spawn(): RoleProcess {
    const p = new RoleProcess(this.name, this.role, this.env, this.dir, this.options).start();
    this.started.push(p);
    return p;
  }

  get healthUrl(): string {
    return `http://127.0.0.1:${this.http}/health`;
  }

  /** GET /health/ready: the status code and the body. */
  async readiness(): Promise<{ status: number; body: { status?: string; checks?: Record<string, boolean>; reasons?: Record<string, string> } }> {
    // A reused keep-alive socket the server just closed fails the fetch: that says nothing about readiness.
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.healthUrl}/ready`, { signal: AbortSignal.timeout(3_000) });
        return { status: res.status, body: (await res.json()) as { status?: string } };
      } catch (err) {
        if (attempt >= 2 || !this.proc.running) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  ready(timeoutMs = 30_000): Promise<void> {
    return waitHttpOk(`${this.healthUrl}/ready`, timeoutMs, this.proc);
  }

  /** Starts it again (after a kill) with the same env and ports. */
  restart(): RoleProcess {
    this.proc = this.spawn();
    return this.proc;
  }
}

/**
 * Roles started one by one (not as one cluster), for tests that start a role while a dependency
 * is down, or restart one: each on free ports, all in one test-output folder, all stopped together.
 */
export class RoleSet {
  private readonly started: RoleProcess[] = [];
  readonly dir: string;

  constructor(
    name: string,
    readonly env: Record<string, string>,
  ) {
    this.dir = testOutputDir(name);
  }

  async logic(options: RoleProcessOptions = {}): Promise<RoleHandle & { grpc: number; url: string }> {
    const [http, grpc] = await freePorts(2);
    const h = new RoleHandle('logic', 'logic', { ...this.env, LOGIC_HTTP_PORT: String(http), LOGIC_GRPC_ADDR: `127.0.0.1:${grpc}` }, http, this.dir, options, this.started);
    return Object.assign(h, { grpc, url: `http://127.0.0.1:${http}` });
  }

  async comet(id: string, logicGrpc: number, env: Record<string, string> = {}): Promise<RoleHandle & { id: string; ws: number; tcp: number; wsUrl: string }> {
    const [tcp, ws, grpc, http, kcp] = await freePorts(5);
    const h = new RoleHandle(
      id,
      'comet',
      { ...this.env, ...cometEnv(id, { tcp, ws, grpc, http, kcp }, logicGrpc), ...env },
      http,
      this.dir,
      {},
      this.started,
    );
    return Object.assign(h, { id, ws, tcp, wsUrl: `ws://127.0.0.1:${ws}/sub` });
  }

  async job(): Promise<RoleHandle> {
    const [http] = await freePorts(1);
    return new RoleHandle('job', 'job', { ...this.env, JOB_HTTP_PORT: String(http) }, http, this.dir, {}, this.started);
  }

  async stop(): Promise<void> {
    await Promise.all(this.started.map((p) => p.stop()));
  }
}
