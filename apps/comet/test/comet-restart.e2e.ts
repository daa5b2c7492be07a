// Issue 13 points 3-4: a comet SIGKILLed while pushes flow and restarted under the same id (a
// StatefulSet pod, a supervisor's restart). Its registry entry names a new incarnation, so logic
// removes the sessions the dead process left within seconds (not at their TTL), job's deliveries
// resolved against the dead process's connections are dropped and counted (never as delivered),
// and the clients that come back lose nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chaosClients, type ChaosClient, howDelivered, lostCount, metric, printFaultTable, PushTraffic, RoleSet, apiHeaders, testClusterEnv, waitFor } from '@imgate/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('comet restarted under the same id', () => {
  let roles: RoleSet;
  const clients: ChaosClient[] = [];

  before(() => {
    roles = new RoleSet('comet-restart', testClusterEnv('comet-restart', { LOGIC_SWEEP_MS: '1000' }).env);
  });
  after(async () => {
    clients.forEach((c) => c.client.close());
    await roles?.stop();
  });

  it('sheds the dead process’s sessions within seconds, drops its stale deliveries, and loses nothing at the clients that return', async () => {
    const logic = await roles.logic();
    await logic.ready(60_000);
    const comet = await roles.comet('comet-r', logic.grpc);
    const job = await roles.job();
    // Generous: on a 2-core machine shared with other test runs a role can take tens of seconds to boot.
    await comet.ready(90_000);
    await job.ready(90_000);
    // Stayers reconnect by themselves (and resume their keys); leavers die with the process and never return.
    const stayers = await chaosClients(6, 151_000, { nodes: [comet.wsUrl] });
    const leavers = await chaosClients(3, 151_100, { nodes: [comet.wsUrl] });
    clients.push(...stayers, ...leavers);
    await Promise.all(clients.map((c) => c.client.connect()));
    const connections = async (mids: number[]): Promise<number> => {
      const res = await fetch(`${logic.url}/v1/connections?mids=${mids.join(',')}`, { headers: apiHeaders() });
      return ((await res.json()) as { connections: unknown[] }).connections.length;
    };
    assert.equal(await connections(leavers.map((c) => c.mid)), 3);

    const traffic = new PushTraffic(() => logic.url, `/goim/push/mids?operation=1000&mids=${stayers.map((c) => c.mid).join(',')}`, 'restart-stay');
    // Pushes only the dead process's connections could take: every record of them after the kill is stale or unreachable.
    const orphaned = new PushTraffic(() => logic.url, `/goim/push/mids?operation=1000&mids=${leavers.map((c) => c.mid).join(',')}`, 'restart-gone');
    traffic.start(50);
    orphaned.start(50);
    await sleep(1_500);
    const jobMetrics = `${job.healthUrl.replace('/health', '')}/metrics`;
    const records = async (result: string) => metric(jobMetrics, 'imgate_job_records_total', `result="${result}"`);

    const killAt = Date.now();
    await comet.proc.kill('SIGKILL');
    leavers.forEach((c) => c.client.close());
    comet.restart();
    await comet.ready(90_000);
    const readyAt = Date.now();
    const deliveredAtRestart = await records('delivered');

    // The dead process's sessions: gone within seconds of the new one registering.
    await waitFor(async () => (await connections(leavers.map((c) => c.mid))) === 0, 20_000, 'the dead process’s sessions to be removed');
    const sweptMs = Date.now() - readyAt;
    await waitFor(() => stayers.every((c) => c.connects.length >= 2), 20_000, 'the stayers to reconnect');
    const reconnectMs = Math.max(...stayers.map((c) => c.connects[1])) - killAt;
    await sleep(2_000);
    await traffic.stop();
    await orphaned.stop();

    await waitFor(() => lostCount(stayers, traffic.accepted) === 0, 10_000, 'every accepted push live').catch(() => undefined);
    const syncFrom = Date.now();
    stayers.forEach((c) => c.client.recover());
    await waitFor(() => lostCount(stayers, traffic.accepted) === 0, 30_000, 'every stayer to hold every accepted push').catch(() => undefined);
    const lost = lostCount(stayers, traffic.accepted);
    const how = howDelivered(stayers, traffic.accepted, syncFrom);

    const [stale, unreachable, delivered] = [await records('stale'), await records('unreachable'), await records('delivered')];
    const cometStale = await metric(`http://127.0.0.1:${comet.http}/metrics`, 'imgate_comet_stale_deliveries_total');
    // Items the new process wrote to a connection (each such push observes its latency once).
    const written = await metric(`http://127.0.0.1:${comet.http}/metrics`, 'imgate_comet_push_latency_seconds_count');
    const deliveredAfter = delivered - deliveredAtRestart;
    const orphanedAfter = orphaned.accepted.filter((id) => (orphaned.acceptedAt.get(id) ?? 0) > killAt).length;
    console.log(
      `comet restart: old sessions removed ${sweptMs} ms after the new process was ready; stayers back ${reconnectMs} ms after the kill; ` +
        `job: ${stale} stale (comet counted ${cometStale}), ${unreachable} unreachable, ${deliveredAfter} delivered after the restart against ${written} pushes the new process wrote; ` +
        `${orphanedAfter} pushes to the leavers accepted after the kill; stayers: ${how.live} live / ${how.synced} by sync / ${how.missing} missing of ${traffic.accepted.length} × ${stayers.length}`,
    );
    printFaultTable('fault → outcome (comet restarted under the same id)', [
      {
        fault: 'comet SIGKILL, restarted under the same id',
        clients: `6 reconnected (resumed) within ${reconnectMs} ms; ${how.live} live / ${how.synced} by sync`,
        pushes: `${traffic.accepted.length} accepted; dead process's sessions gone ${sweptMs} ms after restart; ${stale} stale + ${unreachable} unreachable deliveries dropped, none counted delivered`,
        lost,
        recoverMs: reconnectMs,
      },
    ]);
    assert.equal(lost, 0, 'accepted pushes lost at the stayers');
    assert.equal(traffic.givenUp, 0);
    assert.ok(sweptMs < 10_000, `old sessions removed ${sweptMs} ms after the restart`);
    // What job counted as delivered the new process really wrote (a margin for items delivered to
    // it just before the counter was read at restart).
    assert.ok(deliveredAfter <= written + 2, `job counted ${deliveredAfter} delivered, the new process wrote ${written}`);
    assert.equal(stale, cometStale, 'job counts as stale what the comet dropped');
  });
});
