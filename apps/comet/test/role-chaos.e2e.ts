// Issue 13, role faults while pushes flow to reliable-delivery SDK clients on two comets: logic is
// SIGKILLed and restarted, then a comet is SIGKILLed for good. Nothing accepted is lost; clients
// of the dead comet move by themselves; its sessions and online counts are swept from Redis within
// REGISTRY_TTL_MS plus a sweep; the other comet's deliveries keep flowing (job does not block the
// partition on the dead one).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createRedis, deleteKeys, type RedisClient, scanKeys } from '@imgate/store';
import { chaosClients, type ChaosClient, lostCount, printFaultTable, PushTraffic, RoleSet, testClusterEnv, waitFor } from '@imgate/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MID_BASE = 151_000;
const REGISTRY_TTL_MS = 3_000;
const SWEEP_MS = 1_000;

describe('role chaos: logic restart and a SIGKILLed comet under traffic', () => {
  let roles: RoleSet;
  let env: Record<string, string>;
  let redis: RedisClient;
  const clients: ChaosClient[] = [];
  // Stopped in after() too: a test that fails mid-way would leave it pushing and the file running to its timeout.
  let flow: PushTraffic | undefined;

  before(async () => {
    env = testClusterEnv('role-chaos', { REGISTRY_TTL_MS: String(REGISTRY_TTL_MS), LOGIC_SWEEP_MS: String(SWEEP_MS) }).env;
    roles = new RoleSet('role-chaos', env);
    redis = createRedis(env.REDIS_URL, pino({ level: 'silent' }));
    await redis.connect();
  });
  after(async () => {
    await flow?.stop();
    clients.forEach((c) => c.client.close());
    await roles?.stop();
    try {
      // Per master and per key: on a Redis Cluster KEYS sees one node and a multi-key DEL is CROSSSLOT.
      await deleteKeys(redis, await scanKeys(redis, `${env.REDIS_PREFIX}*`));
    } finally {
      // Else a failed cleanup leaves the client open and the file running to its 240 s timeout.
      redis.disconnect();
    }
  });

  it('loses nothing accepted, moves the dead comet\'s clients, and sweeps its sessions', async () => {
    const logic = await roles.logic();
    await logic.ready(60_000);
    const [a, b] = [await roles.comet('comet-a', logic.grpc), await roles.comet('comet-b', logic.grpc)];
    const job = await roles.job();
    await Promise.all([a.ready(), b.ready(), job.ready(60_000)]);
    // Half start on each comet, the other one as their fallback.
    const onA = await chaosClients(5, MID_BASE, { nodes: [a.wsUrl, b.wsUrl], nodeSkipMs: 10_000 });
    const onB = await chaosClients(5, MID_BASE + 5, { nodes: [b.wsUrl, a.wsUrl], nodeSkipMs: 10_000 });
    clients.push(...onA, ...onB);
    await Promise.all(clients.map((c) => c.client.connect()));
    const traffic = new PushTraffic(() => logic.url, `/goim/push/mids?operation=1000&mids=${clients.map((c) => c.mid).join(',')}`, 'role-chaos');
    flow = traffic;
    traffic.start(50);
    await sleep(2_000);

    // Fault 1: logic SIGKILLed, restarted on the same ports.
    const logicKill = Date.now();
    await logic.proc.kill('SIGKILL');
    await sleep(1_000);
    logic.restart();
    await logic.ready(60_000);
    const logicBack = Date.now();
    await waitFor(() => traffic.answers.some((x) => x.at >= logicBack && x.status === 200), 20_000, 'a push accepted after logic restarted');
    const logicRecover = Math.min(...traffic.answers.filter((x) => x.at >= logicKill && x.status === 200).map((x) => x.at + x.ms)) - logicKill;
    const logicOutage = traffic.between(logicKill, logicBack);
    await sleep(2_000);

    // Fault 2: comet-a SIGKILLed for good.
    const sessionsBefore = await redis.hlen(`${env.REDIS_PREFIX}c:{comet-a}`);
    const killAt = Date.now();
    await a.proc.kill('SIGKILL');
    await waitFor(() => onA.every((c) => c.connects.some((t) => t > killAt)), 30_000, 'comet-a\'s clients to reconnect to comet-b');
    const movedMs = Math.max(...onA.map((c) => Math.min(...c.connects.filter((t) => t > killAt)) - killAt));
    await waitFor(async () => (await redis.exists(`${env.REDIS_PREFIX}c:{comet-a}`, `${env.REDIS_PREFIX}online:{comet-a}`)) === 0 && (await redis.hexists(`${env.REDIS_PREFIX}session-servers`, 'comet-a')) === 0, 30_000, 'comet-a\'s sessions and online counts to be swept');
    const sweptMs = Date.now() - killAt;
    const stale = (await Promise.all(clients.map((c) => redis.hvals(`${env.REDIS_PREFIX}m:{${c.mid}}`)))).flat().filter((s) => s === 'comet-a').length;
    await sleep(2_000);
    await traffic.stop();

    // comet-b's clients during comet-a's death: how long accepted pushes took to reach them.
    const window = [...traffic.acceptedAt].filter(([, t]) => t >= killAt && t < killAt + 8_000);
    const lags = window.flatMap(([id, t]) => onB.map((c) => (c.seenAt.has(id) ? c.seenAt.get(id)! - t : undefined)));
    const lag = Math.max(0, ...lags.filter((x) => x !== undefined));
    const notLive = lags.filter((x) => x === undefined).length;
    clients.forEach((c) => c.client.recover());
    await waitFor(() => lostCount(clients, traffic.accepted) === 0, 30_000, 'every client to hold every accepted push').catch(() => undefined);
    const lost = lostCount(clients, traffic.accepted);
    printFaultTable('fault → outcome (shared Redis and Kafka, per-run keys and topics)', [
      {
        fault: 'logic SIGKILL + restart',
        clients: `stayed connected (${clients.reduce((n, c) => n + c.drops.filter((d) => d.at >= logicKill && d.at < logicBack).length, 0)} drops)`,
        pushes: `${logicOutage.filter((x) => x.status !== 200).length} unanswered or 503 until the new process served (its boot included)`,
        lost: 0,
        recoverMs: logicRecover,
      },
      {
        fault: 'comet SIGKILL (for good)',
        clients: `its ${onA.length} clients on the other comet within ${movedMs} ms; the other comet's got pushes within ${lag} ms live (${notLive} copies only by sync)`,
        pushes: `${sessionsBefore} sessions swept ${sweptMs} ms after the kill; ${stale} stale user entries`,
        lost,
        recoverMs: movedMs,
      },
    ]);
    console.log(`pushes: ${traffic.accepted.length} accepted, ${traffic.givenUp} given up`);
    assert.equal(lost, 0, 'accepted pushes lost');
    assert.equal(traffic.givenUp, 0);
    // Refused means no answer (logic down) or 503, never an error of another kind.
    const statuses = new Set(traffic.answers.filter((x) => x.status !== 200).map((x) => x.status));
    assert.ok([...statuses].every((st) => st === 0 || st === 503), `refusals: ${[...statuses]}`);
    assert.ok(sessionsBefore > 0, 'comet-a had sessions');
    assert.equal(stale, 0, 'user entries pointing at the dead comet');
    assert.ok(sweptMs < REGISTRY_TTL_MS + SWEEP_MS * 1.5 + 10_000, `swept after ${sweptMs} ms`);
    assert.ok(movedMs < 15_000, `clients moved after ${movedMs} ms`);
  });
});
