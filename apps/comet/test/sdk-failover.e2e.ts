import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ConnectedEvent, type DisconnectedEvent, ImgateClient, type ImgateClientOptions } from '@imgate/sdk';
import { type Cluster, type CometHandle, post, RoleProcess, signHs256, startCluster, testOutputDir, waitFor, waitHttpOk } from '@imgate/testing';

/** A client, and when (and where) it connected and disconnected. */
interface Tracked {
  client: ImgateClient;
  connects: Array<{ at: number; info: ConnectedEvent }>;
  drops: Array<{ at: number; e: DisconnectedEvent }>;
  messages: string[];
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms).unref())]);
}

describe('SDK failover: logic, two comets and job as processes on real Redis and Kafka', () => {
  let cluster: Cluster;
  const tracked: Tracked[] = [];
  const restarted: RoleProcess[] = [];

  before(async () => {
    cluster = await startCluster({ name: 'sdk-failover', comets: 2 });
  });
  after(async () => {
    tracked.forEach((t) => t.client.close());
    await Promise.all(restarted.map((p) => p.stop()));
    await cluster?.stop();
  });

  function track(mid: number, opts: ImgateClientOptions): Tracked {
    const client = new ImgateClient({ token: () => signHs256({ mid }), watchNetwork: false, backoff: { baseMs: 500 }, ...opts });
    const t: Tracked = { client, connects: [], drops: [], messages: [] };
    client.on('connected', (info) => t.connects.push({ at: Date.now(), info }));
    client.on('disconnected', (e) => t.drops.push({ at: Date.now(), e }));
    client.on('message', (m) => t.messages.push(m.text()));
    tracked.push(t);
    return t;
  }

  const tcpUrl = (c: CometHandle) => `tcp://127.0.0.1:${c.tcp}`;
  const onComet = (t: Tracked, c: CometHandle) => [c.wsUrl, tcpUrl(c)].includes(t.client.connection?.node ?? '');

  /** Pushes to the room until every client has the message (job may still be learning which comets are gone). */
  async function pushRoomUntilAll(clients: Tracked[], room: string, text: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!clients.every((t) => t.messages.includes(text))) {
      assert.ok(Date.now() < deadline, `${clients.filter((t) => !t.messages.includes(text)).length} of ${clients.length} clients never got "${text}"`);
      const res = await post(`${cluster.logic.url}/goim/push/room?operation=1000&type=live&room=${room}`, text);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      await waitFor(() => clients.every((t) => t.messages.includes(text)), 3_000, text).catch(() => undefined);
    }
  }

  it('moves a client whose comet is killed to the other comet within 5 s, where it receives room messages', async () => {
    // One client takes logic's node list; the others are given both comets with the victim first.
    const viaLogic = track(7001, { logicUrl: cluster.logic.url, room: 'live://failover' });
    const first = await viaLogic.client.connect();
    const victim = cluster.comets.find((c) => c.id === first.nodeId);
    assert.ok(victim, `connected to ${first.nodeId}, not one of the cluster's comets`);
    const other = cluster.comets.find((c) => c !== victim)!;
    const ws = track(7002, { nodes: [victim.wsUrl, other.wsUrl], room: 'live://failover' });
    const tcp = track(7003, { nodes: [tcpUrl(victim), tcpUrl(other)], room: 'live://failover', checksum: true });
    await Promise.all([ws.client.connect(), tcp.client.connect()]);
    const all = [viaLogic, ws, tcp];
    for (const t of all) assert.ok(onComet(t, victim), `${t.client.connection?.node} is not the victim`);

    const killedAt = Date.now();
    await victim.proc.kill('SIGKILL');
    await within(waitFor(() => all.every((t) => onComet(t, other)), 10_000, 'every client on the other comet'), 11_000, 'failover');
    for (const t of all) {
      const moved = t.connects.at(-1)!;
      assert.ok(moved.at - killedAt < 5_000, `${moved.info.node} took ${moved.at - killedAt} ms`);
      assert.equal(t.drops.length, 1);
      assert.equal(t.drops[0].e.willReconnect, true);
    }
    assert.equal(viaLogic.client.connection?.nodeId, other.id, 'logic names comets by id');
    assert.equal(tcp.client.connection?.transport, 'tcp');

    await pushRoomUntilAll(all, 'failover', 'after the move');
    all.forEach((t) => t.client.close());

    // Bring the killed comet back (same id and ports) for the drain test.
    const proc = new RoleProcess(victim.proc.name, 'comet', victim.proc.env, testOutputDir('sdk-failover')).start();
    restarted.push(proc);
    victim.proc = proc;
    await waitHttpOk(`http://127.0.0.1:${victim.http}/health/ready`, 30_000, proc);
    await waitFor(async () => {
      const res = await fetch(`${cluster.logic.url}/goim/nodes/weighted`);
      const body = (await res.json()) as { data: { nodes: Array<{ id: string }> } };
      return body.data.nodes.length === 2;
    }, 15_000, 'both comets listed again');
  });

  it('a draining comet (SIGTERM) moves all its 50 clients to the other comet before it exits', async () => {
    const [drainer, target] = [cluster.comets[1], cluster.comets[0]];
    const clients = Array.from({ length: 50 }, (_, i) => track(8000 + i, { nodes: [drainer.wsUrl, target.wsUrl], room: 'live://drain' }));
    await Promise.all(clients.map((t) => t.client.connect()));
    assert.ok(clients.every((t) => onComet(t, drainer)));

    const exited = drainer.proc.kill('SIGTERM').then((r) => ({ ...r, at: Date.now() }));
    await within(waitFor(() => clients.every((t) => onComet(t, target)), 30_000, 'all 50 on the other comet'), 31_000, 'drain');
    const exit = await within(exited, 60_000, 'the draining comet to exit');
    for (const t of clients) {
      assert.equal(t.drops[0]?.e.code, 'draining', `the comet should ask to move (op 20 "draining"); the client saw ${t.drops[0]?.e.code}: ${t.drops[0]?.e.reason}`);
      const moved = t.connects.at(-1)!;
      assert.equal(moved.info.node, target.wsUrl);
      assert.ok(moved.at <= exit.at, `client ${moved.info.mid} connected ${moved.at - exit.at} ms after the comet exited`);
    }
    assert.equal(exit.code, 0, `the draining comet exited with ${exit.code ?? exit.signal}`);
    await pushRoomUntilAll(clients, 'drain', 'after the drain');
  });
});
