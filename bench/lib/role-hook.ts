// Preloaded (node -r) into every server the bench starts (imgate's roles and the baselines), so
// apps/ need no bench code and every server's memory is read the same way: a `{ type: 'mem' }`
// message over the IPC channel runs a full GC (with --expose-gc) and answers process.memoryUsage()
// (a /metrics scrape would allocate in the process being measured). The process shuts down
// gracefully (SIGTERM, so --cpu-prof writes its profile) when the harness that forked it goes away.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

const gcNow = (globalThis as { gc?: () => void }).gc;

/** Committed and used KiB per V8 space: the log tells what RSS carries beside live objects. */
function spaces(): string {
  return JSON.stringify(Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, [Math.round(s.space_used_size / 1024), Math.round(s.space_size / 1024)]])));
}

process.on('message', (m: { type?: string; id?: number }) => {
  if (m?.type !== 'mem') return;
  gcNow?.();
  gcNow?.();
  const mem = process.memoryUsage();
  process.stderr.write(`heap spaces (KiB used, committed) ${spaces()}\n`);
  process.send?.({ type: 'mem', id: m.id, rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal });
});

// IMGATE_BENCH_SPACES_MS=N: log the new space's committed size every N ms (no GC), to see when
// V8's memory reducer hands it back.
const every = Number(process.env.IMGATE_BENCH_SPACES_MS ?? 0);
if (every > 0) {
  // Young-generation allocation between two logs: what the scavenges freed plus what new space gained.
  let scavenged = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenged++;
  }).observe({ entryTypes: ['gc'] });
  let lastUsed = 0;
  setInterval(() => {
    const ns = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    const used = ns?.space_used_size ?? 0;
    process.stderr.write(
      `new space committed ${Math.round((ns?.space_size ?? 0) / 1024)} KiB at ${new Date().toISOString()}: ${scavenged} scavenges, used ${Math.round((used - lastUsed) / 1024)} KiB more\n`,
    );
    scavenged = 0;
    lastUsed = used;
  }, every).unref();
}
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
