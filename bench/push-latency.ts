// Push latency through the full path: HTTP push to logic -> Kafka -> job -> comet -> client.
// Roles run as separate processes on the real Redis and Kafka; clients connect over WebSocket.
// Usage: npm run bench:latency -- [--pushes 1000] [--rate 200] [--clients 20]
import 'reflect-metadata';
import { bodyText, post, ProtoClient, signHs256, startCluster } from '@imgate/testing';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const pushes = arg('pushes', 1000);
  const rate = arg('rate', 200);
  const clients = arg('clients', 20);
  console.log(`starting logic, comet and job (separate processes, real Redis and Kafka)...`);
  const cluster = await startCluster({ name: 'bench-latency', env: { LOG_LEVEL: 'warn' } });
  try {
    const conns = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const c = await ProtoClient.ws(cluster.comets[0].wsUrl);
        await c.auth({ token: await signHs256({ mid: 10_000 + i }), accepts: [1000] });
        return c;
      }),
    );
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const httpLatencies: number[] = [];
    let done: () => void = () => undefined;
    const received = new Promise<void>((resolve) => (done = resolve));
    for (const c of conns) {
      c.onPacket = (p) => {
        if (p.op !== 1000) return;
        const t = sentAt.get(bodyText(p));
        if (t === undefined) return;
        latencies.push(performance.now() - t);
        if (latencies.length >= pushes) done();
      };
    }
    // Warm-up: the first pushes pay for connection setup in every hop.
    for (let i = 0; i < 20; i++) await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=${10_000 + (i % clients)}`, `warm-${i}`);
    await new Promise((r) => setTimeout(r, 1_000));
    for (const c of conns) c.received.splice(0);

    console.log(`pushing ${pushes} messages at ${rate}/s to ${clients} WebSocket clients...`);
    const interval = 1000 / rate;
    const started = performance.now();
    const inflight: Array<Promise<unknown>> = [];
    for (let i = 0; i < pushes; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const body = `m-${i}`;
      sentAt.set(body, performance.now());
      const t0 = performance.now();
      inflight.push(post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=${10_000 + (i % clients)}`, body).then((r) => {
        httpLatencies.push(performance.now() - t0);
        return r;
      }));
      if (i % Math.max(1, Math.floor(pushes / 10)) === 0) console.log(`  ${i}/${pushes} sent, ${latencies.length} received`);
    }
    const answers = await Promise.all(inflight);
    const failed = answers.filter((a) => (a as { status: number }).status !== 200).length;
    await Promise.race([received, new Promise((r) => setTimeout(r, 30_000))]);
    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log('\npush latency, HTTP push -> client receipt (full path through real Kafka)');
    console.log(`| pushes | rate/s | received | http errors | p50 | p90 | p99 | max |`);
    console.log(`|---|---|---|---|---|---|---|---|`);
    console.log(
      `| ${pushes} | ${rate} | ${latencies.length} | ${failed} | ${fmt(quantile(sorted, 0.5))} | ${fmt(quantile(sorted, 0.9))} | ${fmt(quantile(sorted, 0.99))} | ${fmt(sorted.at(-1) ?? 0)} |`,
    );
    const http = [...httpLatencies].sort((a, b) => a - b);
    console.log(`\nHTTP answer (after Kafka acknowledged): p50 ${fmt(quantile(http, 0.5))}, p99 ${fmt(quantile(http, 0.99))}`);
    for (const c of conns) c.close();
    if (latencies.length < pushes || failed > 0) process.exitCode = 1;
  } finally {
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
