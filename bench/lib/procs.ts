import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every process the bench starts, so that all of them are stopped at the end, on failure too.
 * Children are forked with an IPC channel: bench children exit when it closes, and role
 * processes get the same through role-hook (loaded with -r), so none outlives the harness.
 */
const live = new Set<BenchProc>();
let requestIds = 0;

export interface StartOptions {
  /** Node flags before the script (e.g. --cpu-prof, --expose-gc). */
  execArgv?: string[];
  env?: Record<string, string>;
  args?: string[];
  /** Where stdout and stderr go. */
  logFile: string;
  /** Working directory (where --heapsnapshot-signal writes). */
  cwd?: string;
}

export class BenchProc {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The tail of what the process printed, for error messages. */
  output = '';
  private handlers = new Set<(m: Record<string, unknown>) => void>();

  constructor(
    readonly name: string,
    script: string,
    opts: StartOptions,
  ) {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    this.child = fork(script, opts.args ?? [], {
      execArgv: opts.execArgv ?? [],
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(process.env.IMGATE_BENCH_SPACES_MS ? { IMGATE_BENCH_SPACES_MS: process.env.IMGATE_BENCH_SPACES_MS } : {}), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (m) => {
      for (const h of this.handlers) h(m as Record<string, unknown>);
    });
    this.child.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        live.delete(this);
        log.end();
        resolve({ code, signal });
      }),
    );
    live.add(this);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(msg: Record<string, unknown>): void {
    if (this.running && this.child.connected) this.child.send(msg);
  }

  on(handler: (m: Record<string, unknown>) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** The next message of the given type (rejects when the process exits or time runs out). */
  next<T = Record<string, unknown>>(type: string, timeoutMs: number, match: (m: Record<string, unknown>) => boolean = () => true): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.name}: no '${type}' message within ${timeoutMs} ms\n${this.output.slice(-2000)}`));
      }, timeoutMs);
      const off = this.on((m) => {
        if (m.type !== type || !match(m)) return;
        clearTimeout(timer);
        off();
        resolve(m as T);
      });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        off();
        reject(new Error(`${this.name} exited (${code ?? signal}) while waiting for '${type}'\n${this.output.slice(-2000)}`));
      });
    });
  }

  /** Sends a request and waits for the reply of the same type and id. */
  request<T = Record<string, unknown>>(msg: Record<string, unknown> & { type: string }, timeoutMs = 30_000): Promise<T> {
    const id = ++requestIds;
    const reply = this.next<T>(msg.type, timeoutMs, (m) => m.id === id);
    this.send({ ...msg, id });
    return reply;
  }

  /** SIGTERM (lets --cpu-prof write its profile), then SIGKILL after graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    this.child.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Last resort (process 'exit'): synchronous SIGKILL of whatever is still running. */
export function killAllNow(): void {
  for (const p of live) if (p.running) p.child.kill('SIGKILL');
}

/** utime+stime of a process in clock ticks (USER_HZ, 100 on Linux), or NaN when it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

/** Machine-wide jiffies from /proc/stat: busy, total, and the kernel's softirq and the hypervisor's steal. */
export function machineTicks(): { busy: number; total: number; softirq: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = line[3] + line[4];
  return { busy: total - idle, total, softirq: line[6], steal: line[7] };
}

/** Resident set size of a process from /proc (bytes). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

export function distDir(): string {
  return join(__dirname, '..', '..');
}
