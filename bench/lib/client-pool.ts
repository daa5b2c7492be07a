import { join } from 'node:path';
import type { ClientKind, ConnectCmd } from '../load-client';
import { BenchProc, distDir } from './procs';

export interface PoolOptions {
  name: string;
  kind: ClientKind;
  port: number;
  path: string;
  total: number;
  perProcess: number;
  firstMid: number;
  room: string;
  sampleEvery: number;
  bodySize: number;
  logDir: string;
  /** The clients opt in to reliable delivery (op 27 packets). */
  delivery?: boolean;
}

export interface Snapshot {
  msgs: number;
  closed: number;
  other: number;
  /** Mean of the processes' monotonic clocks at the snapshot (µs). */
  t: number;
}

export interface SampleReport {
  messages: number;
  gaps: number;
  dups: number;
  reordered: number;
  bad: number;
  latencies: number[];
}

/** Each process gets its own source address in 127/8, so ports never run short across pools. */
let nextAddress = 0;

/** N load-client processes holding `total` connections to one server. */
export class ClientPool {
  onTick?: () => void;
  private readonly ticks: number[];

  private constructor(
    readonly opts: PoolOptions,
    readonly procs: BenchProc[],
  ) {
    this.ticks = procs.map(() => 0);
    procs.forEach((p, i) =>
      p.on((m) => {
        if (m.type !== 'tick') return;
        this.ticks[i] = m.msgs as number;
        this.onTick?.();
      }),
    );
  }

  static async start(opts: PoolOptions, log: (line: string) => void): Promise<ClientPool> {
    const n = Math.ceil(opts.total / opts.perProcess);
    const procs = Array.from(
      { length: n },
      (_, i) => new BenchProc(`${opts.name}-client-${i + 1}`, join(distDir(), 'bench/load-client.js'), { logFile: join(opts.logDir, `${opts.name}-client-${i + 1}.log`) }),
    );
    const pool = new ClientPool(opts, procs);
    const connected = procs.map(() => 0);
    const progress = setInterval(() => log(`    ${opts.name}: ${connected.reduce((a, b) => a + b, 0)}/${opts.total} connected`), 2_000);
    try {
      const done = procs.map((p, i) => {
        p.on((m) => {
          if (m.type === 'progress' || m.type === 'connected') connected[i] = m.connected as number;
        });
        const count = Math.min(opts.perProcess, opts.total - i * opts.perProcess);
        nextAddress++;
        const cmd: ConnectCmd = {
          type: 'connect',
          kind: opts.kind,
          host: '127.0.0.1',
          port: opts.port,
          path: opts.path,
          count,
          firstMid: opts.firstMid + i * opts.perProcess,
          room: opts.room,
          localAddress: `127.0.${1 + (nextAddress >> 8)}.${1 + (nextAddress & 0xff)}`,
          concurrency: 64,
          sampleEvery: opts.sampleEvery,
          heartbeatMs: 60_000,
          bodySize: opts.bodySize,
          timeoutMs: 60_000,
          delivery: opts.delivery,
        };
        p.send(cmd as unknown as Record<string, unknown>);
        return p.next<{ connected: number; failed: number; error: string }>('connected', 180_000);
      });
      const results = await Promise.all(done);
      const failed = results.reduce((a, r) => a + r.failed, 0);
      if (failed > 0) throw new Error(`${opts.name}: ${failed} of ${opts.total} connections failed (first: ${results.find((r) => r.error)?.error})`);
      log(`    ${opts.name}: ${opts.total} connections authenticated (${n} client processes)`);
      return pool;
    } catch (err) {
      await pool.close();
      throw err;
    } finally {
      clearInterval(progress);
    }
  }

  get size(): number {
    return this.opts.total;
  }

  /** Messages received so far, from the latest ticks (cheap; for flow control). */
  get received(): number {
    let n = 0;
    for (const t of this.ticks) n += t;
    return n;
  }

  pids(): number[] {
    return this.procs.map((p) => p.pid);
  }

  async snapshot(): Promise<Snapshot> {
    const snaps = await Promise.all(this.procs.map((p) => p.request<{ msgs: number; closed: number; other: number; t: number }>({ type: 'snap' })));
    return {
      msgs: snaps.reduce((a, s) => a + s.msgs, 0),
      closed: snaps.reduce((a, s) => a + s.closed, 0),
      other: snaps.reduce((a, s) => a + s.other, 0),
      t: snaps.reduce((a, s) => a + s.t, 0) / snaps.length,
    };
  }

  /** The sampled connections' checks so far; latencies since the last call, recording on if `record`. */
  async samples(record: boolean): Promise<SampleReport> {
    const all = await Promise.all(this.procs.map((p) => p.request<SampleReport>({ type: 'samples', record })));
    return {
      messages: all.reduce((a, s) => a + s.messages, 0),
      gaps: all.reduce((a, s) => a + s.gaps, 0),
      dups: all.reduce((a, s) => a + s.dups, 0),
      reordered: all.reduce((a, s) => a + s.reordered, 0),
      bad: all.reduce((a, s) => a + s.bad, 0),
      latencies: all.flatMap((s) => s.latencies),
    };
  }

  async close(): Promise<void> {
    for (const p of this.procs) p.send({ type: 'close' });
    await Promise.all(this.procs.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 5_000))])));
    await Promise.all(this.procs.map((p) => p.stop(2_000)));
  }
}
