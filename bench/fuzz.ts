// npm run fuzz -- [--seed N] [--frames N] [--http N] [--grpc N] [--concurrency N]
// Mutated frames (TCP, WebSocket, KCP) and malformed HTTP and gRPC calls against a live embedded
// imgate on loopback; then: is it alive, do clean clients work, is the heap back near its baseline.
// Seeded: the same seed sends the same bytes. Not part of the timed test suite (a smaller seeded
// run is, apps/comet/test/fuzz.e2e.ts). Exits 1 when the process died, a clean client failed, or
// the heap after GC grew past 1.5× its baseline.
import { type FuzzReport, runFuzz, startFuzzTarget } from '@imgate/testing';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} takes a non-negative integer`);
  return v;
}

const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export function printReport(r: FuzzReport): void {
  const frames = r.wire.frames.tcp + r.wire.frames.ws + r.wire.frames.kcp;
  console.log(`\nfuzz seed ${r.seed}: ${frames} frames in ${r.seconds.toFixed(0)} s`);
  console.log(`  frames sent:  tcp ${r.wire.frames.tcp}, websocket ${r.wire.frames.ws}, kcp ${r.wire.frames.kcp}`);
  console.log(`  connections:  tcp ${r.wire.connections.tcp}, websocket ${r.wire.connections.ws}, kcp ${r.wire.connections.kcp}`);
  console.log(`  frame kinds:  ${Object.entries(r.wire.kinds).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  http:         ${r.api.http.requests} requests, status ${JSON.stringify(r.api.http.status)}`);
  console.log(`  grpc:         ${r.api.grpc.calls} calls, codes ${JSON.stringify(r.api.grpc.codes)}, deadline exceeded by method ${JSON.stringify(r.api.grpc.deadlineByMethod)}`);
  for (const [metric, byReason] of Object.entries(r.refused)) console.log(`  ${metric}: ${JSON.stringify(byReason)}`);
  console.log(`  crashes:      ${r.alive ? 0 : 1} (process ${r.alive ? 'alive' : 'DEAD'})`);
  console.log(`  clean client: ${JSON.stringify(r.cleanClients)}`);
  console.log(`  heap after gc: before ${MiB(r.heapBefore)}, after ${MiB(r.heapAfter)}, ratio ${(r.heapAfter / r.heapBefore).toFixed(2)}`);
}

async function main(): Promise<void> {
  const seed = arg('seed', 1);
  const frames = arg('frames', 1_000_000);
  const target = await startFuzzTarget('fuzz', {});
  try {
    const report = await runFuzz(target, {
      seed,
      frames,
      httpRequests: arg('http', Math.max(1_000, Math.floor(frames / 100))),
      grpcCalls: arg('grpc', Math.max(1_000, Math.floor(frames / 100))),
      concurrency: arg('concurrency', 8),
      onProgress: (w, a) => console.log(`  … tcp ${w.frames.tcp}, ws ${w.frames.ws}, kcp ${w.frames.kcp}, http ${a.http.requests}, grpc ${a.grpc.calls}`),
    });
    printReport(report);
    const ok = report.alive && Object.values(report.cleanClients).every(Boolean) && report.heapAfter < report.heapBefore * 1.5;
    process.exitCode = ok ? 0 : 1;
  } finally {
    await target.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
