// Issue 13, Redis faults, on a private Redis without persistence (never the shared one): a comet
// booted while Redis is down stays up unready, then turns ready; an SDK client with a static token
// survives a 20 s outage during which its comet restarts and after which Redis is empty; and a
// Redis restart while pushes flow loses nothing accepted (the outage's pushes are refused 503).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptedBefore, chaosClients, type ChaosClient, lostCount, printFaultTable, PrivateRedis, PushTraffic, type RoleHandle, RoleSet, testClusterEnv, waitFor } from '@imgate/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MID_BASE = 141_000;

describe('Redis outage: roles stay up, comets write their sessions back, clients come back by themselves', () => {
  let redis: PrivateRedis;
  let roles: RoleSet;
  const clients: ChaosClient[] = [];

  before(async () => {
    redis = await PrivateRedis.create();
    roles = new RoleSet('redis-outage', testClusterEnv('redis-outage', { REDIS_URL: redis.url }).env);
  });
  after(async () => {
    clients.forEach((c) => c.client.close());
    await roles?.stop();
    await redis?.stop();
  });

  it('keeps a comet booted without Redis up and unready, survives a 20 s outage with a comet restart, and a Redis restart under traffic', async () => {
    // 1. A comet booted while Redis is down: up, unready with a reason; ready once Redis answers.
    const logic = await roles.logic();
    const comet: RoleHandle & { wsUrl: string } = await roles.comet('comet-1', logic.grpc);
    await waitFor(async () => (await fetch(`${comet.healthUrl}/live`).catch(() => undefined))?.status === 200, 30_000, 'the comet to serve HTTP');
    await sleep(2_000);
    assert.ok(comet.proc.running, 'the comet is still running');
    const unready = await comet.readiness();
    assert.equal(unready.status, 503, JSON.stringify(unready.body));
    assert.equal(unready.body.checks?.redis, false);
    assert.ok(unready.body.reasons?.redis && unready.body.reasons.registered, JSON.stringify(unready.body.reasons));
    const logicUnready = await logic.readiness();
    assert.equal(logicUnready.status, 503);
    assert.equal(logicUnready.body.checks?.redis, false);
    const redisUp = Date.now();
    await redis.start();
    await comet.ready(30_000);
    const cometReadyMs = Date.now() - redisUp;
    await logic.ready(30_000);
    const job = await roles.job();
    await job.ready(60_000);

    // 2. Clients with a static token (default backoff): one plain, one with reliable delivery.
    const plain = await chaosClients(1, MID_BASE, { nodes: [comet.wsUrl], staticToken: true, delivery: false });
    const reliable = await chaosClients(1, MID_BASE + 1, { nodes: [comet.wsUrl], staticToken: true });
    const pair = [...plain, ...reliable];
    clients.push(...pair);
    const ended: string[] = [];
    pair.forEach((c) => c.client.on('disconnected', (e) => !e.willReconnect && ended.push(e.code)));
    await Promise.all(pair.map((c) => c.client.connect()));
    const mids = pair.map((c) => c.mid).join(',');
    const probe = new PushTraffic(() => logic.url, `/goim/push/mids?operation=1000&mids=${mids}`, 'probe');
    probe.start(1_000);
    await waitFor(() => probe.accepted.length > 0 && pair.every((c) => c.ids.size > 0), 15_000, 'a first push at both clients');

    // 20 s without Redis; the comet is SIGKILLed at 5 s and started again at 8 s (it boots without Redis).
    const down = Date.now();
    await redis.stop();
    await sleep(3_000);
    const blip = await comet.readiness();
    await sleep(2_000);
    await comet.proc.kill('SIGKILL');
    await sleep(3_000);
    comet.restart();
    // It boots without Redis (on a loaded machine that can take a while): serving, and unready.
    await waitFor(async () => (await fetch(`${comet.healthUrl}/live`).catch(() => undefined))?.status === 200, 40_000, 'the restarted comet to serve HTTP');
    const restartedReadiness = await comet.readiness();
    await sleep(Math.max(0, 20_000 - (Date.now() - down)));
    const outageMs = Date.now() - down;
    await redis.start(); // empty: no persistence
    const back = Date.now();
    const inOutage = probe.between(down + 500, back);
    await waitFor(() => pair.every((c) => c.connects.some((t) => t > back)), 30_000, 'both clients to reconnect by themselves');
    const reconnectMs = Math.max(...pair.map((c) => Math.min(...c.connects.filter((t) => t > back)) - back));
    const firstAfter = probe.accepted.length;
    const got = (c: ChaosClient, id: string) => c.ids.has(id) || c.ids.has(probe.bodyOf.get(id) ?? '');
    await waitFor(() => pair.every((c) => probe.accepted.slice(firstAfter).some((id) => got(c, id))), 30_000, 'a push by mid to reach both clients after Redis came back');
    const reachMs = Date.now() - back;
    await probe.stop();
    // The reliable client holds every push accepted before the outage (the plain one is best-effort
    // by design). Redis came back empty: the user stream has a new epoch, which the SDK reads from its
    // start, so what was accepted into it before the client re-authenticated arrives too.
    const beforeOutage = acceptedBefore(probe, down);
    await waitFor(() => lostCount(reliable, beforeOutage) === 0 && lostCount(reliable, acceptedBefore(probe, down, false)) === 0, 15_000, 'the reliable client to hold every push accepted before the outage').catch(() => undefined);
    const outageLost = lostCount(reliable, beforeOutage);
    const skippedAtEpoch = lostCount(reliable, acceptedBefore(probe, down, false));
    console.log(`20 s outage: comet while Redis was away 3 s: ${blip.status} ${JSON.stringify(blip.body)}; restarted comet before Redis returned: ${restartedReadiness.status}`);
    assert.equal(blip.status, 200, 'a registered comet stays ready (degraded) through a short Redis blip');
    assert.equal(blip.body.status, 'degraded');
    assert.equal(restartedReadiness.status, 503, 'a comet booted without Redis is not ready');
    assert.deepEqual(ended, [], 'no client gave up');
    assert.ok(inOutage.length > 0 && inOutage.every((a) => a.status === 503), `pushes in the outage: ${inOutage.map((a) => a.status)}`);
    assert.equal(outageLost, 0, 'accepted pushes the reliable client lacks');
    assert.equal(skippedAtEpoch, 0, 'pushes accepted into the new epoch before the reconnect that the reliable client lacks');
    assert.ok(reachMs < 30_000, `a push reached both clients ${reachMs} ms after Redis returned`);

    // 3. A Redis restart (comes back empty) while pushes flow to reliable clients that stay connected.
    const more = await chaosClients(6, MID_BASE + 10, { nodes: [comet.wsUrl] });
    clients.push(...more);
    await Promise.all(more.map((c) => c.client.connect()));
    const traffic = new PushTraffic(() => logic.url, `/goim/push/mids?operation=1000&mids=${more.map((c) => c.mid).join(',')}`, 'restart');
    traffic.start(50);
    await sleep(2_000);
    const restartAt = Date.now();
    await redis.stop();
    await sleep(5_000);
    await redis.start();
    const restartBack = Date.now();
    await waitFor(() => traffic.answers.some((a) => a.at > restartBack && a.status === 200), 20_000, 'a push accepted after the restart');
    const acceptedBack = Math.min(...traffic.answers.filter((a) => a.at > restartBack && a.status === 200).map((a) => a.at + a.ms)) - restartBack;
    const midAfter = traffic.accepted.length;
    await waitFor(() => more.every((c) => traffic.accepted.slice(midAfter).some((id) => c.ids.has(id))), 20_000, 'pushes to reach the clients after the restart');
    const deliveredBack = Date.now() - restartBack;
    await sleep(1_000);
    await traffic.stop();
    const beforeRestart = acceptedBefore(traffic, restartAt);
    await waitFor(() => lostCount(more, beforeRestart) === 0 && lostCount(more, acceptedBefore(traffic, restartAt, false)) === 0, 20_000, 'every push accepted before the restart at every client').catch(() => undefined);
    const lost = lostCount(more, beforeRestart);
    const skippedAfter = lostCount(more, acceptedBefore(traffic, restartAt, false));
    const told = more.reduce((n, c) => n + c.recoveryFailed.length, 0);
    const outage = traffic.between(restartAt + 200, restartBack);
    printFaultTable('fault → outcome (private Redis, no persistence)', [
      { fault: 'comet booted with Redis down', clients: '-', pushes: '-', lost: 0, recoverMs: cometReadyMs },
      {
        fault: `Redis down ${Math.round(outageMs / 1000)} s, comet SIGKILLed + restarted in it, Redis back empty`,
        clients: `reconnected by themselves (static token, default backoff), last ${reconnectMs} ms after Redis returned`,
        pushes: `${inOutage.length} in the outage, all 503; ${skippedAtEpoch} accepted into the new (empty) history before the reconnect skipped, told by recoveryFailed ${JSON.stringify(reliable[0].recoveryFailed)}`,
        lost: outageLost,
        recoverMs: reachMs,
      },
      {
        fault: 'Redis restart (5 s, back empty) under traffic',
        clients: `stayed connected (${more.reduce((n, c) => n + c.drops.length, 0)} drops)`,
        pushes: `${traffic.accepted.length} accepted; ${outage.filter((a) => a.status !== 200).length} refused in the outage (${[...new Set(outage.filter((a) => a.status !== 200).map((a) => a.status))]}); ${skippedAfter} client-copies accepted into the new (empty) history before the sessions were written back skipped (recoveryFailed ×${told})`,
        lost,
        recoverMs: deliveredBack,
      },
    ]);
    console.log(`after the restart: first push accepted ${acceptedBack} ms, delivered to all ${deliveredBack} ms after Redis returned`);
    assert.equal(lost, 0, 'accepted pushes lost');
    assert.equal(skippedAfter, 0, 'client copies of pushes accepted into the new epoch that the clients lack');
    assert.ok(outage.every((a) => a.status === 503 || a.status === 200), `outage answers: ${[...new Set(outage.map((a) => a.status))]}`);
    assert.ok(reconnectMs < 5_000 + 2_000, `clients reconnected ${reconnectMs} ms after Redis returned`);
  });
});
