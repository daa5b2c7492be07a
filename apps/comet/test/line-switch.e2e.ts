import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImgateClient, type LineOptions, type LineSwitchEvent, type LinesProbedEvent } from '@imgate/sdk';
import { type Cluster, Pusher, signHs256, startCluster, UdpNat, waitFor } from '@imgate/testing';

const IMPAIRED = { delayMs: 150, loss: 0.1 };
const CLEAN = { delayMs: 0, loss: 0 };
/** Tuned for a test that must finish in seconds; the defaults are minutes-scale. */
const LINES: LineOptions = { checkIntervalMs: 300, degradedRttMs: 100, degradedForMs: 1_500, minSwitchIntervalMs: 10_000, probeTimeoutMs: 2_000 };

interface Tracked {
  client: ImgateClient;
  texts: string[];
  switches: Array<{ at: number; e: LineSwitchEvent }>;
  probed?: LinesProbedEvent;
  connects: number;
  drops: number;
}

describe('Line probing and switching: two comets, one behind an impaired path', () => {
  let cluster: Cluster;
  let natA: UdpNat;
  let natB: UdpNat;
  const tracked: Tracked[] = [];
  const url = (n: UdpNat) => `kcp://127.0.0.1:${n.port}`;

  before(async () => {
    cluster = await startCluster({ name: 'line-switch', comets: 2 });
    natA = await UdpNat.start(cluster.comets[0].kcp);
    natB = await UdpNat.start(cluster.comets[1].kcp);
  });
  after(async () => {
    tracked.forEach((t) => t.client.close());
    natA?.close();
    natB?.close();
    await cluster?.stop();
  });

  function track(mid: number, lines: LineOptions): Tracked {
    // The impaired comet first: taking the other one is the probe's doing, not the list order's.
    const client = new ImgateClient({ nodes: [url(natB), url(natA)], token: () => signHs256({ mid }), delivery: true, watchNetwork: false, lines });
    const t: Tracked = { client, texts: [], switches: [], connects: 0, drops: 0 };
    client.on('message', (m) => t.texts.push(m.text()));
    client.on('lineSwitch', (e) => t.switches.push({ at: Date.now(), e }));
    client.on('linesProbed', (e) => (t.probed = e));
    client.on('connected', () => t.connects++);
    client.on('disconnected', () => t.drops++);
    tracked.push(t);
    return t;
  }

  it('picks the healthy comet at connect, and moves to the other without losing a message when its path degrades', async () => {
    Object.assign(natB.path, IMPAIRED);
    const t = track(9401, LINES);
    await t.client.connect();
    assert.equal(t.client.connection?.node, url(natA), `connected to ${t.client.connection?.node}`);
    assert.equal(t.probed?.chosen, url(natA));

    const pusher = new Pusher(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=9401`, 40, 'line-');
    pusher.start();
    await waitFor(() => t.texts.length >= 40, 10_000, 'the stream to flow');
    const degradedAt = Date.now();
    Object.assign(natA.path, IMPAIRED);
    Object.assign(natB.path, CLEAN);
    await waitFor(() => t.switches.length === 1, 15_000, 'a line switch');
    const sw = t.switches[0];
    await new Promise((r) => setTimeout(r, 2_000));
    await pusher.stop();
    assert.deepEqual(pusher.failures, []);
    await waitFor(() => new Set(t.texts).size >= pusher.sent, 15_000, `all ${pusher.sent} pushes`);
    await new Promise((r) => setTimeout(r, 500));

    assert.deepEqual(pusher.notOnce(t.texts), [], 'every push exactly once');
    assert.equal(t.texts.length, pusher.sent);
    assert.equal(t.client.connection?.node, url(natB), 'now on the comet whose path is clean');
    assert.equal(sw.e.from, url(natA));
    assert.equal(sw.e.to, url(natB));
    assert.ok(sw.e.toRttMs < sw.e.fromRttMs / 2, JSON.stringify(sw.e));
    assert.equal(t.drops, 0, 'make-before-break: never disconnected');
    assert.equal(t.switches.length, 1);
    const probedAtConnect = t.probed!.probed.map((p) => `${p.node}=${p.rttMs ?? 'no answer'}`).join(', ');
    console.log(
      `[line-switch] at connect: ${probedAtConnect} -> ${t.probed!.chosen}; degraded -> switched after ${sw.at - degradedAt} ms ` +
        `(reason ${sw.e.reason}, RTT ${sw.e.fromRttMs} -> ${sw.e.toRttMs} ms, make-before-break ${sw.e.switchMs} ms); ${pusher.sent} pushes at 40/s, each once`,
    );
  });

  it('does not flap between two equal lines, even when both are slow', async () => {
    Object.assign(natA.path, { delayMs: 80, loss: 0 });
    Object.assign(natB.path, { delayMs: 80, loss: 0 });
    // No switch interval to hide behind: only the hysteresis keeps it in place.
    const t = track(9402, { ...LINES, degradedForMs: 600, minSwitchIntervalMs: 0 });
    await t.client.connect();
    const windowMs = 6_000;
    await new Promise((r) => setTimeout(r, windowMs));
    const first = tracked[0];
    assert.equal(t.switches.length, 0, `switches in ${windowMs} ms: ${JSON.stringify(t.switches)}`);
    assert.equal(first.switches.length, 1, 'the first client stayed put too');
    assert.equal(t.connects, 1);
    console.log(`[line-switch] two equal lines (RTT ~160 ms each, both above the 100 ms threshold): 0 switches in ${windowMs} ms`);
  });
});
