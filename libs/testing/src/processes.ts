import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Role = 'comet' | 'logic' | 'job' | 'embedded';

/** The repository root (the folder holding package.json and dist/). */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'proto'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
}

export function testOutputDir(name: string): string {
  const dir = join(repoRoot(), 'test-output', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** IMGATE_ROLE_LOG_LEVEL and KAFKAJS_LOG_LEVEL, when the test run has them: more from every role's log while debugging. */
function debugEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.IMGATE_ROLE_LOG_LEVEL) env.LOG_LEVEL = process.env.IMGATE_ROLE_LOG_LEVEL;
  if (process.env.KAFKAJS_LOG_LEVEL) env.KAFKAJS_LOG_LEVEL = process.env.KAFKAJS_LOG_LEVEL;
  return env;
}

export interface RoleProcessOptions {
  /**
   * Load bench/lib/role-hook.js with --expose-gc and an IPC channel, so `memory()` can read the
   * process's memory after a full GC (as the bench does).
   */
  memoryHook?: boolean;
}

/** One role running as its own OS process (the built `dist/apps/<role>/src/main.js`), logging to a file. */
export class RoleProcess {
  private child?: ChildProcess;
  private memoryAsks = 0;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output = '';

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly env: Record<string, string>,
    private readonly logDir: string,
    readonly options: RoleProcessOptions = {},
  ) {}

  start(): this {
    const log = createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    const hook = this.options.memoryHook ? ['--expose-gc', '-r', join(repoRoot(), 'dist/bench/lib/role-hook.js')] : [];
    const child = spawn(process.execPath, [...hook, join(repoRoot(), 'dist/apps', this.role, 'src/main.js')], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env, ...debugEnv() },
      stdio: ['ignore', 'pipe', 'pipe', ...(this.options.memoryHook ? (['ipc'] as const) : [])],
    });
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      // Keep the tail in memory for assertions on what the process said.
      this.output = (this.output + chunk.toString()).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => {
      log.end();
      resolve({ code, signal });
    }));
    this.child = child;
    // The test runner reaps whatever a crashed test left running, by these pids only.
    if (process.env.IMGATE_TEST_PIDS && child.pid) appendFileSync(process.env.IMGATE_TEST_PIDS, `${child.pid}\n`);
    return this;
  }

  /** RSS and heap after a full GC (needs `memoryHook`). */
  memory(): Promise<{ rss: number; heapUsed: number }> {
    const child = this.child;
    if (!child?.send) return Promise.reject(new Error(`${this.name} was not started with memoryHook`));
    const id = ++this.memoryAsks;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not report its memory`)), 10_000);
      const onMessage = (m: { type?: string; id?: number; rss?: number; heapUsed?: number }) => {
        if (m?.type !== 'mem' || m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ rss: m.rss ?? 0, heapUsed: m.heapUsed ?? 0 });
      };
      child.on('message', onMessage);
      child.send({ type: 'mem', id });
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) throw new Error(`${this.name} was never started`);
    return this.exit;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child?.kill(signal);
    return this.exited();
  }

  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }
}

/** Polls a URL until it answers 200 (or the process dies, or time runs out). */
export async function waitHttpOk(url: string, timeoutMs = 30_000, proc?: RoleProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc && !proc.running) throw new Error(`${proc.name} exited before ${url} was ready:\n${proc.output.slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})${proc ? `\n${proc.output.slice(-3000)}` : ''}`);
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
