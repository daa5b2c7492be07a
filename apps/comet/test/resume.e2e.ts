import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { ImgateClient } from '@imgate/sdk';
import { apiHeaders, bodyJson, bodyText, type Cluster, post, ProtoClient, signHs256, startCluster, TcpProxy, waitFor } from '@imgate/testing';

interface ConnectionView {
  mid: number;
  key: string;
  comet: string;
  transport: string;
  ip: string;
  port: number;
  rooms: string[];
  resumed: boolean;
}

/**
 * Session resume across comets (issue 14.2): logic, two comets and job as processes on real Redis
 * and Kafka. A client that lost its connection (or whose old one is still half-open) reconnects to
 * the other comet with the token of its last auth reply and gets its key, rooms and operations back.
 */
describe('session resume: WebSocket, TCP and the SDK move to the other comet and keep their session', () => {
  let cluster: Cluster;
  const closers: Array<() => unknown> = [];

  before(async () => {
    cluster = await startCluster({ name: 'resume', comets: 2, env: { LOGIC_RESUME_WINDOW_SEC: '60' } });
  });
  after(async () => {
    for (const c of closers) await c();
    await cluster?.stop();
  });

  async function connections(mids: number[]): Promise<ConnectionView[]> {
    const res = await fetch(`${cluster.logic.url}/v1/connections?mids=${mids.join(',')}`, { headers: apiHeaders() });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { connections: ConnectionView[] }).connections;
  }

  async function pushKey(key: string, text: string, operation = 1000): Promise<Record<string, unknown>> {
    const res = await post(`${cluster.logic.url}/goim/push/keys?operation=${operation}&keys=${key}`, text);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return res.json.data as Record<string, unknown>;
  }

  const [c1, c2] = [0, 1];
  const texts = (c: ProtoClient, from = 0) => c.received.slice(from).filter((p) => p.op >= 1000).map(bodyText);

  it('a WebSocket client that closed comes back on the other comet: same key, rooms and ops, and the push sent meanwhile', async (t) => {
    const [a, b] = [cluster.comets[c1], cluster.comets[c2]];
    const old = await ProtoClient.ws(a.wsUrl);
    closers.push(() => old.close());
    const first = await old.auth({ token: await signHs256({ mid: 9101 }), room_id: 'live://resume-main', accepts: [1000] });
    assert.match(String(first.resume), /^[\w.:-]+\.[\w-]{22}$/);
    assert.equal(first.resume_ttl, 60);
    old.send(Op.JoinRoom, 'chat://resume-extra');
    await old.op(Op.JoinRoomReply);
    old.send(Op.Sub, '1001');
    await old.op(Op.SubReply);
    // Comets report room and operation changes to logic: the record follows them.
    await waitFor(async () => (await connections([9101]))[0]?.rooms.includes('chat://resume-extra') === true, 10_000, 'the joined room in the session record');

    old.close();
    await waitFor(async () => (await connections([9101])).length === 0, 10_000, 'comet saw the connection go');
    const during = await pushKey(first.key, 'sent while away');
    assert.deepEqual(during.offline, [first.key], 'offline, as it is (the push is held for a resume)');

    const back = await ProtoClient.ws(b.wsUrl);
    closers.push(() => back.close());
    const token = await signHs256({ mid: 9101 });
    const t0 = performance.now();
    const again = await back.auth({ token, room_id: 'live://other', accepts: [1000], resume: first.resume });
    t.diagnostic(`resume auth on the other comet (WebSocket): ${Math.round(performance.now() - t0)} ms`);
    assert.equal(again.resumed, true);
    assert.equal(again.key, first.key);
    assert.equal(again.room_id, 'live://resume-main', 'the session\'s room, not the one this auth body named');
    assert.notEqual(again.resume, first.resume, 'a fresh token');
    await back.next((p) => p.op === 1000 && bodyText(p) === 'sent while away', 10_000);

    // Routing moved: by key, to the extra room, and an operation subscribed before the switch.
    await pushKey(first.key, 'by key after', 1001);
    const room = await post(`${cluster.logic.url}/goim/push/room?operation=1000&type=chat&room=resume-extra`, 'to the extra room');
    assert.equal(room.status, 200);
    await waitFor(() => texts(back).includes('by key after') && texts(back).includes('to the extra room'), 10_000, 'pushes on the new comet');
    const [view] = await connections([9101]);
    assert.deepEqual([view.key, view.comet, view.transport, view.resumed], [first.key, b.id, 'ws', true]);
    assert.deepEqual(view.rooms, ['live://resume-main', 'chat://resume-extra']);
  });

  it('a TCP client whose old connection is still half-open resumes on the other comet; the old one gets op 21 replaced', async (t) => {
    const [a, b] = [cluster.comets[c2], cluster.comets[c1]];
    const old = await ProtoClient.tcp(a.tcp);
    closers.push(() => old.close());
    const first = await old.auth({ token: await signHs256({ mid: 9102 }), room_id: 'live://tcp-resume', accepts: [1000] });
    // The network died without a word: the old socket stays open on comet A and we read no more from it.
    old.pause();
    const fresh = await ProtoClient.tcp(b.tcp);
    closers.push(() => fresh.close());
    const token = await signHs256({ mid: 9102 });
    const t0 = performance.now();
    const again = await fresh.auth({ token, resume: first.resume });
    t.diagnostic(`resume auth on the other comet (TCP, old connection half-open): ${Math.round(performance.now() - t0)} ms`);
    assert.deepEqual([again.resumed, again.key, again.room_id], [true, first.key, 'live://tcp-resume']);
    old.resume();
    const kick = await old.next((p) => p.op === Op.Kick, 10_000);
    t.diagnostic(`old connection told "replaced" ${Math.round(performance.now() - t0)} ms after the resume auth was sent`);
    assert.equal(bodyJson(kick).code, 'replaced');
    await old.closedPromise;

    const before = fresh.received.length;
    await pushKey(first.key, 'to the resumed key');
    await fresh.next((p) => p.op === 1000 && bodyText(p) === 'to the resumed key', 10_000, before);
    const views = await connections([9102]);
    assert.deepEqual(views.map((v) => [v.key, v.comet, v.transport]), [[first.key, b.id, 'tcp']]);

    // The spent token does not work again, not even for the same user.
    const replay = await ProtoClient.tcp(a.tcp);
    closers.push(() => replay.close());
    const third = await replay.auth({ token: await signHs256({ mid: 9102 }), resume: first.resume });
    assert.equal(third.resumed, undefined);
    assert.notEqual(third.key, first.key);
  });

  it('a client that drops and comes straight back to the same comet keeps its session (disconnect and resume do not race)', async () => {
    const a = cluster.comets[c1];
    const first = await ProtoClient.tcp(a.tcp);
    const auth = await first.auth({ token: await signHs256({ mid: 9104 }), room_id: 'live://same-comet', accepts: [1000] });
    first.close();
    const back = await ProtoClient.tcp(a.tcp);
    closers.push(() => back.close());
    const again = await back.auth({ token: await signHs256({ mid: 9104 }), resume: auth.resume });
    assert.deepEqual([again.resumed, again.key], [true, auth.key]);
    // Whatever order the comet saw the close and the resume in, the session stays routed here.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual((await connections([9104])).map((v) => [v.key, v.comet]), [[auth.key, a.id]]);
    await pushKey(auth.key, 'still here');
    await back.next((p) => p.op === 1000 && bodyText(p) === 'still here', 10_000);
  });

  it('the SDK presents its token by itself: cut off from comet A, it resumes on comet B and loses nothing (reliable delivery)', async () => {
    const [a, b] = [cluster.comets[c1], cluster.comets[c2]];
    const proxy = await TcpProxy.start(a.ws);
    closers.push(() => proxy.close());
    const client = new ImgateClient({
      token: () => signHs256({ mid: 9103 }),
      nodes: [`ws://127.0.0.1:${proxy.port}/sub`, b.wsUrl],
      room: 'live://sdk-resume',
      delivery: true,
      watchNetwork: false,
      backoff: { baseMs: 3_000, capMs: 3_000 },
      // The first retry waits ~2.7 s: time for the pushes below to land in the gap.
      random: () => 0.9,
    });
    closers.push(() => client.close());
    const got: string[] = [];
    client.on('message', (m) => got.push(m.text()));
    const first = await client.connect();
    assert.equal(first.resumed, false);
    await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=9103`, 'before');
    await waitFor(() => got.includes('before'), 10_000, 'first push');

    const moved = new Promise<{ key: string; resumed: boolean; nodeId: string }>((resolve) => client.once('connected', resolve));
    proxy.resetSome(1);
    await proxy.close();
    // While it is away (its retry waits ~2.7 s): by mid (its stream) and by key (held for the resume).
    await waitFor(async () => (await connections([9103])).length === 0, 5_000, 'comet A saw the connection go');
    await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=9103`, 'by mid in the gap');
    await pushKey(first.key, 'by key in the gap');
    const second = await moved;
    assert.equal(second.resumed, true);
    assert.equal(second.key, first.key);
    assert.equal(second.nodeId, b.wsUrl);
    await waitFor(() => got.includes('by mid in the gap') && got.includes('by key in the gap'), 15_000, `both gap pushes (got ${JSON.stringify(got)})`);
    assert.equal(got.filter((t) => t === 'by mid in the gap').length, 1, 'once');
  });
});
