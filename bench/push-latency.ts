// Push latency to single users through the full path: HTTP push to logic -> Kafka -> job -> comet
// -> WebSocket client, roles as separate processes on the real Redis and Kafka (JWT auth).
// The same measurement runs inside the benchmark harness (`npm run bench`, section 3); this entry
// point runs it alone.
// Usage: npm run bench:latency -- [--pushes 1000] [--rate 200] [--clients 20]
import 'reflect-metadata';
import { signHs256, startCluster } from '@imgate/testing';
import { midsLatency } from './sections/latency';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const pushes = arg('pushes', 1000);
  const rate = arg('rate', 200);
  const clients = arg('clients', 20);
  console.log('starting logic, comet and job (separate processes, real Redis and Kafka)...');
  const cluster = await startCluster({ name: 'bench-latency', env: { LOG_LEVEL: 'warn' } });
  try {
    const r = await midsLatency({
      logicUrl: cluster.logic.url,
      wsUrl: cluster.comets[0].wsUrl,
      pushes,
      rate,
      clients,
      firstMid: 10_000,
      authBody: async (mid) => ({ token: await signHs256({ mid }), accepts: [1000] }),
      log: (line) => console.log(line),
    });
    console.log('\npush latency, HTTP push -> client receipt (full path through real Kafka)');
    console.log('| pushes | rate/s | received | http errors | p50 | p90 | p99 | p999 | max |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    console.log(`| ${pushes} | ${rate} | ${r.samples} | ${r.httpErrors} | ${fmt(r.p50)} | ${fmt(r.p90)} | ${fmt(r.p99)} | ${fmt(r.p999)} | ${fmt(r.max)} |`);
    console.log(`\nHTTP answer (after Kafka acknowledged): p50 ${fmt(r.httpP50 ?? Number.NaN)}, p99 ${fmt(r.httpP99 ?? Number.NaN)}`);
    if (r.samples < pushes || r.httpErrors > 0) process.exitCode = 1;
  } finally {
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
