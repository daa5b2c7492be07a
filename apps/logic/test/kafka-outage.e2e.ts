// Issue 13, Kafka faults, on a private broker (never the shared one): logic booted while Kafka is
// down serves HTTP and answers pushes 503 within LOGIC_PUSH_TIMEOUT_MS with flat memory over
// 10,000 of them, then produces once Kafka is up; then the broker restarts while pushes flow to
// reliable-delivery SDK clients: nothing accepted is lost, and the outage's pushes are refused.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { loadavg } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { apiHeaders, chaosClients, type ChaosClient, type FaultRow, firstSeenAfter, howDelivered, lostCount, metric, PrivateKafka, printFaultTable, PushTraffic, type RoleHandle, RoleSet, slowestArrival, testClusterEnv, waitFor } from '@imgate/testing';

const TIMEOUT_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function pushAll(url: string): Promise<{ status: number; ms: number; message: string }> {
  const t = performance.now();
  const res = await fetch(`${url}/goim/push/all?operation=1000`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...apiHeaders() }, body: 'x' });
  const json = (await res.json()) as { message?: string };
  return { status: res.status, ms: performance.now() - t, message: json.message ?? '' };
}

describe('Kafka outage: logic boots without it, refuses pushes fast with flat memory, and survives a broker restart', () => {
  let kafka: PrivateKafka;
  let roles: RoleSet;
  let logicRole: (RoleHandle & { grpc: number; url: string }) | undefined;
  let memoryRow: FaultRow | undefined;
  const clients: ChaosClient[] = [];

  before(async () => {
    kafka = await PrivateKafka.create();
    roles = new RoleSet('kafka-outage', testClusterEnv('kafka-outage', { KAFKA_BROKERS: kafka.brokers, LOGIC_PUSH_TIMEOUT_MS: String(TIMEOUT_MS) }).env);
  });
  after(async () => {
    clients.forEach((c) => c.client.close());
    await roles?.stop();
    await kafka?.down();
  });

  it('boots while Kafka is down, answers 503 in time with flat memory, and produces once Kafka is up', async () => {
    const logic = await roles.logic({ memoryHook: true });
    logicRole = logic;
    await waitFor(async () => (await fetch(`${logic.healthUrl}/live`).catch(() => undefined))?.status === 200, 30_000, 'logic to serve HTTP');
    const unready = await logic.readiness();
    assert.equal(unready.status, 503);
    assert.equal(unready.body.checks?.kafka, false);
    assert.ok(unready.body.reasons?.kafka, 'a reason for kafka');

    // One at a time, the refusal's own time: well within LOGIC_PUSH_TIMEOUT_MS (refused at once).
    const probes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await pushAll(logic.url);
      assert.equal(r.status, 503, JSON.stringify(r));
      assert.match(r.message, /kafka|queue/i);
      probes.push(r.ms);
    }
    const slowestProbe = Math.max(...probes);
    assert.ok(slowestProbe < TIMEOUT_MS, `a refusal took ${slowestProbe} ms`);

    // Memory: warm up (5,000), read after GC, 10,000 refused pushes (50 at a time), read again.
    const clientErrors: string[] = [];
    const burst = async (n: number): Promise<number> => {
      let slowest = 0;
      let next = 0;
      await Promise.all(Array.from({ length: 50 }, async () => {
        while (next < n) {
          next++;
          // A reset keep-alive socket on this loaded machine is the client's problem, not logic's: try again.
          const r = await pushAll(logic.url).catch((err: Error) => {
            clientErrors.push(String((err.cause as Error | undefined)?.message ?? err.message));
            return undefined;
          });
          if (!r) continue;
          assert.equal(r.status, 503);
          slowest = Math.max(slowest, r.ms);
        }
      }));
      return slowest;
    };
    // A warm-up long enough for the allocator to reach its working size: after 1,000 the RSS of
    // one run in six still stepped up ~18 MiB once during the measured 10,000 (heap flat).
    await burst(5_000);
    const before = await logic.proc.memory();
    const slowest = await burst(10_000);
    const afterMem = await logic.proc.memory();
    const heapGrowth = afterMem.heapUsed / before.heapUsed - 1;
    const rssGrowth = afterMem.rss / before.rss - 1;
    console.log(`10,000 pushes while Kafka is down: one at a time each 503 within ${slowestProbe.toFixed(0)} ms; 50 at a time the slowest took ${slowest.toFixed(0)} ms on this machine (load ${loadavg()[0].toFixed(0)}); heap after GC ${(before.heapUsed / 2 ** 20).toFixed(1)} → ${(afterMem.heapUsed / 2 ** 20).toFixed(1)} MiB (${(heapGrowth * 100).toFixed(1)}%), RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(afterMem.rss / 2 ** 20).toFixed(1)} MiB (${(rssGrowth * 100).toFixed(1)}%)`);
    if (clientErrors.length) console.log(`client-side fetch errors during the bursts: ${clientErrors.length} (${[...new Set(clientErrors)].join('; ')})`);
    assert.ok(clientErrors.length < 100, `${clientErrors.length} fetches failed`);
    assert.ok(logic.proc.running, 'logic is still running');
    // Growth is the fault; memory the process gives back (RSS fell 13.8% in one CI run, as the
    // allocator returned pages) is not.
    assert.ok(heapGrowth <= 0.1, `heap grew ${(heapGrowth * 100).toFixed(1)}%`);
    assert.ok(rssGrowth <= 0.1, `RSS grew ${(rssGrowth * 100).toFixed(1)}%`);
    assert.equal(await metric(`${logic.url}/metrics`, 'imgate_logic_push_queue_depth'), 0);

    // Kafka comes up: logic becomes ready by itself and produces.
    const upAt = Date.now();
    await kafka.up();
    const kafkaUpMs = Date.now() - upAt;
    const serving = Date.now();
    await logic.ready(30_000);
    await waitFor(async () => (await pushAll(logic.url)).status === 200, 15_000, 'a push to be accepted');
    const produceAfterMs = Date.now() - serving;
    console.log(`private kafka started in ${kafkaUpMs} ms; logic accepted pushes ${produceAfterMs} ms after it served`);

    memoryRow = {
      fault: 'logic booted with Kafka down; 10,000 pushes',
      clients: '-',
      pushes: `all 503, each within ${slowestProbe.toFixed(0)} ms; heap ${(heapGrowth * 100).toFixed(1)}%, RSS ${(rssGrowth * 100).toFixed(1)}%`,
      lost: 0,
      recoverMs: produceAfterMs,
    };
  });

  it('loses nothing across a broker restart, and pushes accepted after it are delivered live within seconds', async () => {
    // Standalone when the test above failed early: Kafka up, a logic that produces.
    await kafka.up();
    const logic = logicRole ?? (logicRole = await roles.logic());
    await logic.ready(60_000);
    const comet = await roles.comet('comet-1', logic.grpc);
    const job = await roles.job();
    await comet.ready();
    await job.ready(60_000);
    clients.push(...(await chaosClients(6, 131_000, { nodes: [comet.wsUrl] })));
    await Promise.all(clients.map((c) => c.client.connect()));
    const traffic = new PushTraffic(() => logic.url, `/goim/push/mids?operation=1000&mids=${clients.map((c) => c.mid).join(',')}`, 'kafka-restart');
    traffic.start(50);
    await sleep(1_500);
    const stopAt = Date.now();
    await kafka.stop();
    await sleep(4_000);
    let brokerAt = 0;
    const starting = kafka.start();
    // When the broker's port accepts again (kafka.sh returns a little later).
    while (!brokerAt) {
      if (await canConnect(kafka.port)) brokerAt = Date.now();
      else await sleep(100);
    }
    await starting;
    const backAt = brokerAt;
    await waitFor(() => traffic.answers.some((a) => a.at > backAt && a.status === 200), 30_000, 'a push accepted after the broker restart');
    const recoverMs = Math.min(...traffic.answers.filter((a) => a.at > backAt && a.status === 200).map((a) => a.at + a.ms)) - backAt;
    // Long enough for a consumer that rejoins slowly to show it: pushes keep flowing 3 s after the first acceptance.
    await sleep(3_000);
    await traffic.stop();
    // Live only: no client is asked to recover yet, so what arrives now was pushed by job.
    const afterBack = traffic.accepted.filter((id) => (traffic.acceptedAt.get(id) ?? 0) > backAt);
    await waitFor(() => lostCount(clients, afterBack) === 0, 10_000, 'the pushes accepted after the broker restart to arrive live').catch(() => undefined);
    const syncFrom = Date.now();
    const jobRecords = (await (await fetch(`${job.healthUrl.replace('/health', '')}/metrics`)).text()).split('\n').filter((l) => l.startsWith('imgate_job_records_total')).join('; ');
    console.log(jobRecords);
    clients.forEach((c) => c.client.recover());
    await waitFor(() => lostCount(clients, traffic.accepted) === 0, 30_000, 'every client to hold every accepted push').catch(() => undefined);
    const lost = lostCount(clients, traffic.accepted);
    const all = howDelivered(clients, traffic.accepted, syncFrom);
    const late = howDelivered(clients, afterBack, syncFrom);
    const firstLive = firstSeenAfter(clients, traffic.accepted, backAt);
    const firstLiveMs = firstLive === undefined || firstLive >= syncFrom ? Infinity : firstLive - backAt;
    // Per push accepted after the restart: from its acceptance to its arrival at the slowest client.
    const slowestLate = slowestArrival(clients, afterBack, traffic.acceptedAt);
    const outage = traffic.between(stopAt, backAt);
    const refusedInOutage = traffic.answers.filter((a) => a.status !== 200);
    const slowestRefusal = Math.max(0, ...refusedInOutage.map((a) => a.ms));
    console.log(
      `broker restart: ${traffic.accepted.length} pushes accepted × ${clients.length} clients: ${all.live} live, ${all.synced} pulled by sync, ${all.missing} missing; ` +
        `of the ${afterBack.length} accepted after the broker was back: ${late.live} live, ${late.synced} by sync; first live delivery ${firstLiveMs} ms after the broker was back; ` +
        `slowest post-restart push reached every client ${slowestLate} ms after it was accepted`,
    );
    printFaultTable('fault → outcome (private Kafka)', [
      ...(memoryRow ? [memoryRow] : []),
      {
        fault: `Kafka broker restart (down ${Math.round((backAt - stopAt) / 1000)} s)`,
        clients: `stayed connected (${clients.reduce((n, c) => n + c.drops.length, 0)} drops); ${all.live} live / ${all.synced} by sync`,
        pushes: `${traffic.accepted.length} accepted (${outage.filter((a) => a.status === 200).length} while the broker stopped or started); ${refusedInOutage.length} refused 503, slowest refusal ${slowestRefusal} ms; first live ${firstLiveMs} ms after the broker was back`,
        lost,
        recoverMs,
      },
    ]);
    assert.equal(lost, 0, 'accepted pushes lost');
    assert.equal(traffic.givenUp, 0);
    assert.ok(refusedInOutage.length > 0, 'pushes during the outage were refused');
    assert.ok(refusedInOutage.every((a) => a.status === 503), `refusals: ${[...new Set(refusedInOutage.map((a) => a.status))]}`);
    // The configured time, plus what a machine this loaded adds to any request (printed above).
    assert.ok(slowestRefusal < TIMEOUT_MS + 3_000, `a refusal took ${slowestRefusal} ms`);
    assert.ok(recoverMs < 20_000, `pushes accepted ${recoverMs} ms after the broker was back`);
    // Live, not caught up: job is fetching again within a few seconds of the broker's return, and a
    // push refused 503 during the outage after its append, then retried under its idempotency key,
    // is queued by the retry (before that fix such retries answered 200 without a queue write, and
    // their messages reached clients only through sync).
    assert.ok(afterBack.length > 20, `only ${afterBack.length} pushes accepted after the broker was back`);
    const liveProblems = [
      ...(late.synced + late.missing > 0 ? [`of the pushes accepted after the broker was back, ${late.synced} reached clients only by sync (${jobRecords})`] : []),
      ...(firstLiveMs >= 8_000 ? [`first live delivery ${firstLiveMs} ms after the broker was back`] : []),
      ...(slowestLate >= 10_000 ? [`a push accepted after the broker was back took ${slowestLate} ms to reach every client`] : []),
    ];
    assert.deepEqual(liveProblems, []);
  });
});
