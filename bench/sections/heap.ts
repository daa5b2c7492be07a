import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientPool } from '../lib/client-pool';
import type { HeapTypeDiff } from '../lib/heap-summary';
import { BenchProc, distDir } from '../lib/procs';
import { sleep, waitUntil } from '../lib/stats';

export interface HeapBreakdown {
  label: string;
  connections: number;
  /** Heap bytes per connection, by object type (snapshot with connections minus after they closed). */
  total: number;
  types: HeapTypeDiff[];
}

/** Waits until the server answers again; a kept-alive connection may have been reset while it was busy writing. */
async function answered(responsive: () => Promise<unknown>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await responsive();
      return;
    } catch (err) {
      if (i >= 20) throw err;
      await sleep(500);
    }
  }
}

/** Asks a server (started with --heapsnapshot-signal=SIGHUP, cwd `dir`) for a snapshot; resolves with its file. */
async function snapshot(proc: BenchProc, dir: string, responsive: () => Promise<unknown>): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(proc.pid, 'SIGHUP');
  await sleep(300);
  // The snapshot is written on the main thread: once the process answers again, it is complete.
  await answered(responsive);
  // The signal may be handled after the request that probes responsiveness: look for a while.
  let file: string | undefined;
  for (let i = 0; i < 100 && !file; i++) {
    file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot') && f.split('.')[3] === String(proc.pid));
    if (!file) await sleep(300);
  }
  if (!file) throw new Error(`${proc.name} wrote no heap snapshot in ${dir}`);
  await answered(responsive);
  let size = -1;
  for (let i = 0; i < 50 && statSync(join(dir, file)).size !== size; i++) {
    size = statSync(join(dir, file)).size;
    await sleep(200);
  }
  return join(dir, file);
}

/**
 * What each connection keeps on the heap, by type: a snapshot with the pool connected, then one
 * after the pool closed, compared in a separate process. The snapshots are deleted afterwards.
 */
export async function heapBreakdown(
  label: string,
  proc: BenchProc,
  pool: ClientPool,
  dir: string,
  server: { responsive: () => Promise<unknown>; connections: () => Promise<number> },
  log: (line: string) => void,
): Promise<HeapBreakdown> {
  const n = pool.size;
  const responsive = server.responsive;
  // Connections closed just before (another pool) must be gone, or the snapshot counts them too.
  await waitUntil(async () => (await server.connections()) === n, 60_000, `${label} to hold exactly ${n} connections`, 250);
  log(`    ${label}: heap snapshot with ${n} connections`);
  const loaded = await snapshot(proc, dir, responsive);
  await pool.close();
  // Closing is asynchronous on the server (comet tells logic about each one): wait until it is done.
  await waitUntil(async () => (await server.connections()) === 0, 60_000, `${label} to drop its connections`, 250);
  await sleep(5_000);
  log(`    ${label}: heap snapshot after they closed`);
  const closed = await snapshot(proc, dir, responsive);
  try {
    const worker = new BenchProc(`heap-summary-${label}`, join(distDir(), 'bench/lib/heap-summary.js'), {
      execArgv: ['--max-old-space-size=6144'],
      args: [loaded, closed, String(n)],
      logFile: join(dir, 'heap-summary.log'),
    });
    const res = await worker.next<{ total: number; types: HeapTypeDiff[] }>('heap', 300_000);
    await worker.stop(5_000);
    return { label, connections: n, total: res.total, types: res.types };
  } finally {
    rmSync(loaded, { force: true });
    rmSync(closed, { force: true });
  }
}
