// Preloaded (node -r) into the role processes the bench starts, so apps/ need no bench code:
// SIGUSR2 runs a full GC (with --expose-gc) before memory is sampled, and the process shuts down
// gracefully (SIGTERM, so --cpu-prof writes its profile) when the harness that forked it goes away.
const gcNow = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  gcNow?.();
  gcNow?.();
});
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
