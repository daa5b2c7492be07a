// Preloaded (node -r) into the fuzz target: over the IPC channel, `{ type: 'mem' }` runs a full GC
// (the target runs with --expose-gc) and answers the heap in use, so the reading is "live objects".
const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (m: { type?: string; id?: number }) => {
  if (m?.type !== 'mem') return;
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  process.send?.({ type: 'mem', id: m.id, heapUsed: mem.heapUsed, rss: mem.rss, gc: Boolean(gc) });
});
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
