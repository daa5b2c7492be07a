import { ClientPool, type PoolOptions } from '../lib/client-pool';
import type { BenchProc } from '../lib/procs';
import { median, sleep } from '../lib/stats';

export interface MemSample {
  rss: number;
  heap: number;
  /** V8 heap committed (used + free pages V8 keeps). */
  heapTotal: number;
}

/** How one server's memory is read after a full GC, and how its clients connect. */
export interface MemTarget {
  label: string;
  name: string;
  measure(): Promise<MemSample>;
  pool: Omit<PoolOptions, 'name' | 'total' | 'room' | 'firstMid'>;
  room: string;
  idleRoom: string;
  firstMid: number;
}

export interface MemPoint {
  connections: number;
  /** Bytes per connection over the idle process (after GC). */
  rssPerConn: number;
  heapPerConn: number;
  sample: MemSample;
}

export interface MemResult {
  label: string;
  base: MemSample;
  points: MemPoint[];
}

/** Settled: V8 holds at most this much committed-but-free heap (its memory reducer has run). */
const SLACK_MIN = 8 * 2 ** 20;
const SLACK_SHARE = 0.15;

async function medianOf(n: number, gapMs: number, take: () => Promise<MemSample>): Promise<MemSample> {
  const xs: MemSample[] = [];
  for (let i = 0; i < n; i++) {
    if (i) await sleep(gapMs);
    xs.push(await take());
  }
  return { rss: median(xs.map((x) => x.rss)), heap: median(xs.map((x) => x.heap)), heapTotal: median(xs.map((x) => x.heapTotal)) };
}

/** A server process over IPC: the role-hook the bench preloads into it runs gc() and answers process.memoryUsage(). */
export function ipcMemory(proc: BenchProc): () => Promise<MemSample> {
  return () =>
    medianOf(3, 300, async () => {
      const m = await proc.request<{ rss: number; heapUsed: number; heapTotal: number }>({ type: 'mem' });
      return { rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal };
    });
}

function mib(b: number): string {
  return `${(b / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Servers side by side, each idle, then with `counts[0]` authenticated connections in the room
 * (kept: they are the room of the fan-out runs), then, if given, `counts[1]` with the rest in
 * another room (closed afterwards). Per connection = (memory with N − memory idle) / N.
 *
 * Samples are taken with all servers idle, at least `settleMs` after the last connection opened,
 * and then every 2 s until no server holds much committed-but-free V8 heap (at most 2 × settleMs):
 * V8 keeps the pages a burst of work grew its heap by until its memory reducer runs (its first pass
 * starts 8 s after activity ends), so RSS read sooner overstates what connections keep. Each
 * sample is a full GC, then the median of three reads.
 */
export async function measureMemory(
  targets: MemTarget[],
  counts: [number] | [number, number],
  settleMs: number,
  log: (line: string) => void,
): Promise<{ results: MemResult[]; pools: ClientPool[] }> {
  const results: MemResult[] = [];
  const pools: ClientPool[] = [];
  const sampleAll = async (wait = settleMs) => {
    const started = Date.now();
    await sleep(wait);
    for (;;) {
      const out: MemSample[] = [];
      for (const t of targets) out.push(await t.measure());
      const settled = out.every((x) => x.heapTotal - x.heap <= Math.max(SLACK_MIN, SLACK_SHARE * x.heap));
      if (settled || Date.now() - started >= 2 * wait) {
        log(`    sampled ${((Date.now() - started) / 1000).toFixed(0)} s after the last connection${settled ? '' : ' (V8 still held free heap pages: RSS below includes them)'}`);
        return out;
      }
      await sleep(2_000);
    }
  };
  try {
    log(`    idle servers: waiting ${Math.max(10_000, settleMs / 3) / 1000} s for them to settle`);
    // Freshly started servers have had no burst to settle from: a third of the wait will do.
    const bases = await sampleAll(Math.max(10_000, settleMs / 3));
    targets.forEach((t, i) => {
      results.push({ label: t.label, base: bases[i], points: [] });
      log(`    ${t.label} idle: rss ${mib(bases[i].rss)}, heap ${mib(bases[i].heap)} (V8 heap committed ${mib(bases[i].heapTotal)})`);
    });
    const record = (n: number, samples: MemSample[]) =>
      targets.forEach((t, i) => {
        const s = samples[i];
        const base = results[i].base;
        const p = { connections: n, rssPerConn: (s.rss - base.rss) / n, heapPerConn: (s.heap - base.heap) / n, sample: s };
        results[i].points.push(p);
        log(`    ${t.label} @ ${n}: rss ${mib(s.rss)} (${(p.rssPerConn / 1024).toFixed(2)} KiB/conn), heap ${mib(s.heap)} (${(p.heapPerConn / 1024).toFixed(2)} KiB/conn; committed ${mib(s.heapTotal)})`);
      });
    for (const t of targets) pools.push(await ClientPool.start({ ...t.pool, name: t.name, total: counts[0], room: t.room, firstMid: t.firstMid }, log));
    log(`    ${counts[0]} connections on each server: waiting ${settleMs / 1000} s for them to settle`);
    record(counts[0], await sampleAll());
    if (counts.length === 1) return { results, pools };
    const extras: ClientPool[] = [];
    try {
      for (const t of targets) extras.push(await ClientPool.start({ ...t.pool, name: `${t.name}-extra`, total: counts[1] - counts[0], room: t.idleRoom, firstMid: t.firstMid + counts[0] }, log));
      log(`    ${counts[1]} connections on each server: waiting ${settleMs / 1000} s for them to settle`);
      record(counts[1], await sampleAll());
    } finally {
      await Promise.all(extras.map((p) => p.close()));
    }
    return { results, pools };
  } catch (err) {
    await Promise.all(pools.map((p) => p.close()));
    throw err;
  }
}
