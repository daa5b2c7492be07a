import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { apiHeaders, bodyJson, bodyText, type Cluster, post, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

const REPORT_MS = 500;

describe('rooms, broadcast and online counts across two comets', () => {
  let cluster: Cluster;
  let mid = 100;
  before(async () => {
    cluster = await startCluster({
      name: 'rooms',
      comets: 2,
      env: { COMET_ONLINE_REPORT_MS: String(REPORT_MS), LOGIC_ONLINE_REFRESH_MS: '200', COMET_MAX_PENDING_BYTES: String(256 * 1024), COMET_MAX_ROOMS: '3' },
    });
  });
  after(async () => cluster?.stop());

  /** Alternates comets and transports. */
  async function connect(i: number, auth: object): Promise<ProtoClient> {
    const comet = cluster.comets[i % 2];
    const c = i % 4 < 2 ? await ProtoClient.ws(comet.wsUrl) : await ProtoClient.tcp(comet.tcp);
    await c.auth({ token: await signHs256({ mid: ++mid }), ...auth });
    return c;
  }

  const roomPush = (room: string, body: string, op = 1000) =>
    post(`${cluster.logic.url}/goim/push/room?operation=${op}&type=live&room=${room}`, body);
  const ofOp = (c: ProtoClient, op: number) => c.received.filter((p) => p.op === op).map(bodyText);

  it('delivers a room push to every member on both comets exactly once and in order', async () => {
    const members = await Promise.all(Array.from({ length: 8 }, (_, i) => connect(i, { room_id: 'live://r1', accepts: [1000] })));
    const outsider = await connect(9, { room_id: 'live://other', accepts: [1000] });
    const sent = Array.from({ length: 40 }, (_, i) => `r1-${i}`);
    for (const body of sent) assert.equal((await roomPush('r1', body)).status, 200);
    await waitFor(() => members.every((c) => ofOp(c, 1000).length >= 40), 15_000, 'every member to receive 40 messages');
    await new Promise((r) => setTimeout(r, 300));
    for (const c of members) assert.deepEqual(ofOp(c, 1000), sent);
    assert.deepEqual(ofOp(outsider, 1000), []);
    [...members, outsider].forEach((c) => c.close());
  });

  it('moves delivery with op 12, and joins and leaves further rooms with ops 23 and 25', async () => {
    const c = await connect(0, { room_id: 'live://a', accepts: [1000] });
    c.send(Op.ChangeRoom, 'live://b', 5);
    const reply = await c.op(Op.ChangeRoomReply);
    assert.equal(reply.seq, 5);
    assert.equal(bodyText(reply), 'live://b');
    await roomPush('a', 'to-a');
    await roomPush('b', 'to-b');
    await c.next((p) => bodyText(p) === 'to-b');
    c.send(Op.JoinRoom, 'live://c');
    await c.op(Op.JoinRoomReply);
    await roomPush('c', 'to-c');
    await c.next((p) => bodyText(p) === 'to-c');
    c.send(Op.JoinRoom, 'live://d');
    await c.op(Op.JoinRoomReply);
    c.send(Op.JoinRoom, 'live://e');
    const tooMany = await c.op(Op.Error);
    assert.equal(bodyJson(tooMany).code, 'too_many_rooms');
    c.send(Op.LeaveRoom, 'live://c');
    await c.op(Op.LeaveRoomReply);
    await roomPush('c', 'to-c-again');
    await roomPush('b', 'to-b-again');
    await c.next((p) => bodyText(p) === 'to-b-again');
    assert.deepEqual(ofOp(c, 1000), ['to-b', 'to-c', 'to-b-again']);
    c.close();
  });

  it('filters by accepted operations, changed with ops 14 and 16', async () => {
    const c = await connect(1, { room_id: 'live://f', accepts: [1000] });
    await roomPush('f', 'op1001-before', 1001);
    await roomPush('f', 'op1000', 1000);
    await c.next((p) => bodyText(p) === 'op1000');
    c.send(Op.Sub, '1001,1002');
    assert.equal(bodyText(await c.op(Op.SubReply)), '1001,1002');
    await roomPush('f', 'op1001-after', 1001);
    await c.next((p) => bodyText(p) === 'op1001-after');
    c.send(Op.Unsub, '1000');
    await c.op(Op.UnsubReply);
    await roomPush('f', 'op1000-after-unsub', 1000);
    await roomPush('f', 'op1002', 1002);
    await c.next((p) => bodyText(p) === 'op1002');
    assert.deepEqual(c.received.filter((p) => p.op >= 1000).map(bodyText), ['op1000', 'op1001-after', 'op1002']);
    c.send(Op.Sub, '12,abc');
    assert.equal(bodyJson(await c.op(Op.Error)).code, 'bad_operations');
    c.close();
  });

  it('paces broadcast-all at the given speed across the cluster', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(i, { accepts: [1005] })));
    const arrivals: number[] = [];
    for (const c of clients) c.onPacket = (p) => p.op === 1005 && arrivals.push(Date.now());
    const started = Date.now();
    assert.equal((await post(`${cluster.logic.url}/goim/push/all?operation=1005&speed=10`, 'slowly')).status, 200);
    await waitFor(() => arrivals.length === 20, 15_000, 'all 20 to receive the paced broadcast');
    const spread = Math.max(...arrivals) - started;
    // 20 connections at 10 per second cluster-wide: about two seconds, never all at once.
    assert.ok(spread >= 1_500, `paced broadcast finished after ${spread} ms`);
    arrivals.length = 0;
    const fast = Date.now();
    await post(`${cluster.logic.url}/goim/push/all?operation=1005`, 'at once');
    await waitFor(() => arrivals.length === 20, 5_000, 'the unpaced broadcast');
    assert.ok(Math.max(...arrivals) - fast < spread, 'an unpaced broadcast is faster than a paced one');
    clients.forEach((c) => c.close());
  });

  it('cuts off a client that stops reading as a slow consumer while its room keeps receiving', async () => {
    const slow = await ProtoClient.tcp(cluster.comets[0].tcp);
    await slow.auth({ token: await signHs256({ mid: ++mid }), room_id: 'live://flood', accepts: [1000] });
    const healthy = await Promise.all([0, 1, 2].map((i) => connect(i, { room_id: 'live://flood', accepts: [1000] })));
    slow.pause();
    const big = 'x'.repeat(60_000);
    const metricsUrl = `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
    const cut = async () => /imgate_comet_protocol_errors_total\{reason="slow_consumer"\} [1-9]/.test(await (await fetch(metricsUrl)).text());
    // Kernel socket buffers take several MB first; then the comet's own bound is reached.
    for (let i = 0; i < 400 && !(i % 20 === 0 && (await cut())); i++) await roomPush('flood', `${i}:${big}`);
    await waitFor(cut, 10_000, 'the comet to cut the slow consumer');
    // A paused socket only sees the close after reading what was queued before it.
    slow.resume();
    await waitFor(() => slow.closed, 20_000, 'the slow client to see its connection closed');
    assert.ok(slow.received.filter((p) => p.op === 1000).length < 400, 'the slow client did not get the whole flood');
    await roomPush('flood', 'after');
    await waitFor(() => healthy.every((c) => c.received.some((p) => bodyText(p) === 'after')), 15_000, 'the rest of the room to keep receiving');
    for (const c of healthy) assert.equal(c.closed, false);
    healthy.forEach((c) => c.close());
  });

  it('reports cluster-wide online counts in heartbeat replies and over HTTP', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, (_, i) => connect(i, { room_id: 'live://count', accepts: [1000] })));
    const heartbeatCount = async (c: ProtoClient) => {
      const from = c.received.length;
      c.send(Op.Heartbeat);
      const reply = await c.next((p) => p.op === Op.HeartbeatReply, 5_000, from);
      return new DataView(reply.body.buffer, reply.body.byteOffset, 4).getInt32(0);
    };
    // Within one report interval (plus logic's refresh), both comets see all five members.
    await waitFor(async () => (await Promise.all(members.map(heartbeatCount))).every((n) => n === 5), REPORT_MS * 6, 'every heartbeat to report 5');
    const room = await (await fetch(`${cluster.logic.url}/goim/online/room?type=live&rooms=count&rooms=none`, { headers: apiHeaders() })).json();
    assert.deepEqual(room, { code: 0, message: '', data: { count: 5, none: 0 } });
    const top = (await (await fetch(`${cluster.logic.url}/goim/online/top?type=live&limit=50`, { headers: apiHeaders() })).json()) as { data: Array<{ room_id: string; count: number }> };
    assert.deepEqual(top.data.find((t) => t.room_id === 'count'), { room_id: 'count', count: 5 });
    const total = (await (await fetch(`${cluster.logic.url}/goim/online/total`, { headers: apiHeaders() })).json()) as { data: { conn_count: number; ip_count: number } };
    assert.ok(total.data.conn_count >= 5);
    assert.equal(total.data.ip_count, 2, 'one loopback address per comet');
    members[0].close();
    members[1].close();
    await waitFor(async () => (await heartbeatCount(members[2])) === 3, REPORT_MS * 6, 'the count to drop to 3');
    members.slice(2).forEach((c) => c.close());
  });
});
