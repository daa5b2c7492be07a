import type { ClientPool } from '../lib/client-pool';
import { type CpuGroups, cpuMark, type CpuUse, cpuUse } from '../lib/cpu';
import { fmtInt, hrUs, median, sleep, wallMs } from '../lib/stats';
import { messageBody } from '../lib/wire';
import type { Send } from './senders';

/** The systems compared; `streams-on`/`streams-off` are the full path with and without reliable delivery (bench/sections/streams.ts). */
export type SystemKey = 'bare' | 'comet' | 'full' | 'sio' | 'streams-on' | 'streams-off';

export interface FanoutSystem {
  key: SystemKey;
  label: string;
  pool: ClientPool;
  send: Send;
  /** Messages the driver may have unanswered at once. */
  maxInFlight: number;
  /** Processes whose CPU is accounted, by role (server, pipeline, clients, …). */
  cpu: () => CpuGroups;
  /** Next sequence number, shared by the systems that reach the same clients: runs continue it, so sampled clients check order across runs. */
  seq: { n: number };
}

export interface FanoutOptions {
  bodySize: number;
  /** How far (in messages) the driver may run ahead of the average member. */
  credit: number;
  warmupMs: number;
  windowMs: number;
  drainMs: number;
  cores: number;
}

export interface RunResult {
  rate: number;
  sent: number;
  expected: number;
  delivered: number;
  closed: number;
  errors: number;
  firstError?: string;
  /** Monotonic µs of the measured window (for slicing CPU profiles). */
  window: [number, number];
  cpu: CpuUse;
}

export interface SystemResult {
  key: SystemKey;
  label: string;
  members: number;
  runs: RunResult[];
  median: number;
  verify: { messages: number; gaps: number; dups: number; reordered: number; bad: number };
}

/** A few messages end to end before measuring: every hop has connected and warmed up. */
export async function prime(sys: FanoutSystem, bodySize: number, timeoutMs: number): Promise<void> {
  const base = (await sys.pool.snapshot()).msgs;
  const n = 5;
  for (let i = 0; i < n; i++) await sys.send(messageBody(sys.seq.n++, wallMs(), bodySize));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (sys.pool.received - base >= n * sys.pool.size) return;
    await sleep(100);
  }
  throw new Error(`${sys.label}: ${n} priming messages not delivered to all ${sys.pool.size} members within ${timeoutMs} ms (got ${sys.pool.received - base})`);
}

/**
 * One run: send as fast as the system takes messages, never more than `credit` messages ahead of
 * the average member (so buffers stay bounded and nobody is cut as a slow consumer), measure
 * delivered messages/s over a steady window after a warm-up, then stop and let everything drain.
 */
export async function runOnce(sys: FanoutSystem, o: FanoutOptions): Promise<RunResult> {
  const members = sys.pool.size;
  const start = await sys.pool.snapshot();
  const base = start.msgs;
  let sent = 0;
  let inFlight = 0;
  let errors = 0;
  let firstError: string | undefined;
  let stopped = false;
  const pump = () => {
    while (!stopped && inFlight < sys.maxInFlight && sent - (sys.pool.received - base) / members < o.credit) {
      sent++;
      inFlight++;
      sys.send(messageBody(sys.seq.n++, wallMs(), o.bodySize)).then(
        () => {
          inFlight--;
          pump();
        },
        (err: unknown) => {
          errors++;
          firstError ??= (err as Error).message;
          inFlight--;
          pump();
        },
      );
    }
  };
  sys.pool.onTick = pump;
  const timer = setInterval(pump, 10);
  try {
    pump();
    await sleep(o.warmupMs);
    const c0 = cpuMark(sys.cpu());
    const t0 = hrUs();
    const a = await sys.pool.snapshot();
    await sleep(o.windowMs);
    const b = await sys.pool.snapshot();
    const t1 = hrUs();
    const c1 = cpuMark(sys.cpu());
    stopped = true;
    const expected = () => sent * members;
    const deadline = Date.now() + o.drainMs;
    let last = -1;
    let lastChange = Date.now();
    while (Date.now() < deadline && Date.now() - lastChange < 5_000) {
      const got = sys.pool.received - base;
      if (inFlight === 0 && got >= expected()) break;
      if (got !== last) {
        last = got;
        lastChange = Date.now();
      }
      await sleep(50);
    }
    const end = await sys.pool.snapshot();
    return {
      rate: (b.msgs - a.msgs) / ((b.t - a.t) / 1e6),
      sent,
      expected: expected(),
      delivered: end.msgs - base,
      closed: end.closed - start.closed,
      errors,
      firstError,
      window: [t0, t1],
      cpu: cpuUse(c0, c1, o.cores),
    };
  } finally {
    stopped = true;
    clearInterval(timer);
    sys.pool.onTick = undefined;
  }
}

/** Rounds of one run per system, the order rotated each round so drift on a shared machine spreads evenly. */
export async function runFanout(systems: FanoutSystem[], rounds: number, o: FanoutOptions, log: (line: string) => void): Promise<SystemResult[]> {
  const runs = new Map<SystemKey, RunResult[]>(systems.map((s) => [s.key, []]));
  // Order is checked per run: systems that share clients (comet alone, full path) must not mix.
  const reordered = new Map<SystemKey, number>(systems.map((s) => [s.key, 0]));
  const lastReordered = new Map<ClientPool, number>();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < systems.length; k++) {
      const sys = systems[(r + k) % systems.length];
      const before = lastReordered.get(sys.pool) ?? (await sys.pool.samples(false)).reordered;
      const res = await runOnce(sys, o);
      const after = (await sys.pool.samples(false)).reordered;
      lastReordered.set(sys.pool, after);
      reordered.set(sys.key, reordered.get(sys.key)! + after - before);
      runs.get(sys.key)!.push(res);
      const loss = res.expected - res.delivered;
      log(
        `    round ${r + 1}/${rounds}  ${sys.label.padEnd(24)} ${fmtInt(res.rate).padStart(11)} msgs/s  ` +
          `(sent ${res.sent}, ${loss === 0 ? 'all delivered' : `${fmtInt(loss)} NOT delivered`}${res.errors ? `, ${res.errors} send errors: ${res.firstError}` : ''}${res.closed ? `, ${res.closed} connections closed` : ''})`,
      );
      if (res.closed > 0) throw new Error(`${sys.label}: ${res.closed} client connections were closed during the run`);
    }
  }
  const out: SystemResult[] = [];
  for (const sys of systems) {
    const { latencies: _, ...checks } = await sys.pool.samples(false);
    const verify = { ...checks, reordered: reordered.get(sys.key)! };
    const rs = runs.get(sys.key)!;
    out.push({ key: sys.key, label: sys.label, members: sys.pool.size, runs: rs, median: median(rs.map((x) => x.rate)), verify });
  }
  return out;
}
