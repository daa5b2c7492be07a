import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { bodyJson, bodyText, type Cluster, metric, post, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

const CLIENTS = 1_000;
const DRAIN_MS = 20_000;

/** A client that follows op 20: connects to the first node offered, then lets the old link go a moment later. */
class MovingClient {
  links: ProtoClient[] = [];
  readonly seen = new Set<string>();
  moves = 0;
  /** Auths refused as retryable (`unavailable`) and tried again, as the SDK does. */
  retries = 0;
  /** A move that failed for good (kept for the test to report, not thrown where no test awaits it). */
  failure?: Error;

  constructor(
    readonly mid: number,
    private readonly token: string,
    private readonly useWs: boolean,
  ) {}

  async connect(target: { ws: string; tcp: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const link = this.useWs ? await ProtoClient.ws(target.ws) : await ProtoClient.tcp(Number(target.tcp.split(':').pop()));
      link.onPacket = (p) => {
        if (p.op === 1000) this.seen.add(bodyText(p));
        if (p.op === Op.Reconnect) void this.move(bodyJson<{ nodes: Array<{ ws: string; tcp: string }> }>(p).nodes).catch((err: Error) => (this.failure = err));
      };
      try {
        await link.auth({ token: this.token, accepts: [1000] });
        this.links.push(link);
        return;
      } catch (err) {
        link.close();
        if (attempt >= 5 || !/unavailable/.test((err as Error).message)) throw err;
        this.retries++;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private async move(nodes: Array<{ ws: string; tcp: string }>): Promise<void> {
    const old = this.links.at(-1)!;
    assert.ok(nodes.length > 0, 'op 20 names another node');
    await this.connect(nodes[0]);
    this.moves++;
    // Make before break: messages already routed to the old link still arrive during the linger.
    setTimeout(() => old.close(), 1_000);
  }
}

describe('operations: metrics, health and graceful drain', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ name: 'drain', comets: 2, env: { COMET_DRAIN_TIMEOUT_MS: String(DRAIN_MS) } });
  });
  after(async () => cluster?.stop());

  it('answers health and metrics on every role, with counters that move when traffic flows', async () => {
    const roles = [
      { name: 'logic', base: cluster.logic.url, counter: ['imgate_logic_pushes_total', 'kind="mids",result="ok"'] },
      { name: 'comet', base: `http://127.0.0.1:${cluster.comets[0].http}`, counter: ['imgate_comet_packets_out_total', 'transport="ws"'] },
      { name: 'job', base: `http://127.0.0.1:${cluster.job.http}`, counter: ['imgate_job_records_total', 'result="delivered"'] },
    ];
    for (const r of roles) {
      assert.equal((await fetch(`${r.base}/health/live`)).status, 200, r.name);
      const ready = await fetch(`${r.base}/health/ready`);
      assert.equal(ready.status, 200, `${r.name} ready: ${await ready.text()}`);
    }
    const before = await Promise.all(roles.map((r) => metric(`${r.base}/metrics`, r.counter[0], r.counter[1])));
    const c = await ProtoClient.ws(cluster.comets[0].wsUrl);
    await c.auth({ token: await signHs256({ mid: 5 }), accepts: [1000] });
    for (let i = 0; i < 3; i++) await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=5`, `m${i}`);
    await waitFor(() => c.received.filter((p) => p.op === 1000).length === 3, 10_000, 'three pushes');
    await waitFor(async () => {
      const now = await Promise.all(roles.map((r) => metric(`${r.base}/metrics`, r.counter[0], r.counter[1])));
      return now.every((n, i) => n >= before[i] + 3);
    }, 5_000, 'every role\'s counter to move by 3');
    assert.ok((await metric(`${cluster.logic.url}/metrics`, 'imgate_logic_grpc_server_seconds_count', 'method="Connect",code="OK"')) >= 1);
    assert.ok((await metric(`http://127.0.0.1:${cluster.job.http}/metrics`, 'imgate_job_consumer_lag', 'partition="0"')) >= 0);
    c.close();
  });

  it(`hands ${CLIENTS} clients to the other comet on SIGTERM, exits cleanly within the drain time, and loses no push`, async () => {
    const [draining, staying] = cluster.comets;
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const mid = 50_000 + i;
        return new MovingClient(mid, await signHs256({ mid }), i % 2 === 0);
      }),
    );
    for (let i = 0; i < clients.length; i += 50) {
      await Promise.all(clients.slice(i, i + 50).map((c) => c.connect({ ws: draining.wsUrl, tcp: `127.0.0.1:${draining.tcp}` })));
    }
    const mids = clients.map((c) => c.mid);
    let pushed = 0;
    let pushing = true;
    const pusher = (async () => {
      while (pushing) {
        const res = await post(`${cluster.logic.url}/v1/push/mids`, { mids, op: 1000, body: `n${pushed}` });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        pushed++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));

    const sent = Date.now();
    const exiting = draining.proc.kill('SIGTERM');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${draining.http}/health/ready`).catch(() => undefined))?.status !== 200, 5_000, 'the draining comet to stop being ready');
    const exit = await exiting;
    const tookMs = Date.now() - sent;
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
    assert.ok(tookMs < DRAIN_MS, `exited after ${tookMs} ms, drain time ${DRAIN_MS} ms`);
    assert.match(draining.proc.output, new RegExp(`"moved":${CLIENTS},"closed":0`));

    await new Promise((r) => setTimeout(r, 1_000));
    pushing = false;
    await pusher;
    const expected = Array.from({ length: pushed }, (_, i) => `n${i}`);
    const failed = clients.filter((c) => c.failure);
    assert.deepEqual(failed.map((c) => `${c.mid}: ${c.failure!.message}`).slice(0, 5), [], `${failed.length} clients could not move`);
    const retries = clients.reduce((n, c) => n + c.retries, 0);
    console.log(`drain of ${CLIENTS} clients: exited after ${tookMs} ms; ${retries} auths refused as retryable and tried again`);
    await waitFor(() => clients.every((c) => c.seen.size >= pushed), 20_000, 'every client to hold every push');
    for (const c of clients) {
      assert.equal(c.moves, 1, `client ${c.mid} moved once`);
      assert.deepEqual([...c.seen].sort(), [...expected].sort(), `client ${c.mid} lost a push`);
      assert.equal(c.links.at(-1)!.closed, false);
    }
    assert.ok(pushed >= 10, `${pushed} pushes went out around the drain`);
    const moved = await metric(`http://127.0.0.1:${staying.http}/metrics`, 'imgate_comet_connections', 'transport="tcp"');
    assert.ok(moved >= CLIENTS / 2, `${moved} TCP clients on the remaining comet`);
    clients.forEach((c) => c.links.forEach((l) => l.close()));
  });
});
