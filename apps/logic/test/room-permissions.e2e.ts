import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Op, type Packet } from '@imgate/protocol';
import { bodyJson, bodyText, type Cluster, freePorts, post, ProtoClient, signHs256, startCluster } from '@imgate/testing';

/**
 * Room and operation permissions from token claims, enforced by comets without a call per join,
 * and the join hook (a small HTTP server in this test decides): two comets, real Redis and Kafka.
 */
describe('room permissions and the join hook (logic, two comets, job)', () => {
  let cluster: Cluster;
  let hook: Server;
  let hookDown = false;
  const asked: string[] = [];
  let mid = 500;

  before(async () => {
    // The hook allows everything but rooms under hook://deny/, and can be taken "down" (it then resets connections).
    hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (hookDown) return res.destroy();
        const j = JSON.parse(raw) as { mid: number; key: string; room: string; platform: string };
        asked.push(`${j.mid} ${j.room} ${j.platform}`);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(j.room.startsWith('hook://deny/') ? { allow: false, reason: `no entry to ${j.room}` } : { allow: true }));
      });
    });
    const [port] = await freePorts(1);
    await new Promise<void>((r) => hook.listen(port, '127.0.0.1', r));
    cluster = await startCluster({
      name: 'room-perms',
      comets: 2,
      env: { LOGIC_JOIN_HOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/join`, LOGIC_JOIN_HOOK_CACHE_MS: '500', LOGIC_JOIN_HOOK_TIMEOUT_MS: '1000' },
    });
  });
  after(async () => {
    await cluster?.stop();
    hook?.close();
  });

  async function client(i: number, claims: Record<string, unknown>, auth: Record<string, unknown> = {}): Promise<ProtoClient> {
    const comet = cluster.comets[i % 2];
    const c = i % 2 === 0 ? await ProtoClient.ws(comet.wsUrl) : await ProtoClient.tcp(comet.tcp);
    await c.auth({ token: await signHs256({ mid: ++mid, ...claims }), accepts: [1000], ...auth });
    return c;
  }

  async function refusedAuth(i: number, claims: Record<string, unknown>, auth: Record<string, unknown>): Promise<Record<string, unknown>> {
    const comet = cluster.comets[i % 2];
    const c = await ProtoClient.ws(comet.wsUrl);
    c.send(Op.Auth, JSON.stringify({ token: await signHs256({ mid: ++mid, ...claims }), accepts: [1000], ...auth }));
    const p = await c.op(Op.DisconnectReply, 15_000);
    await c.closedPromise;
    return bodyJson(p);
  }

  const roomPush = (type: string, room: string, body: string) => post(`${cluster.logic.url}/goim/push/room?operation=1000&type=${type}&room=${encodeURIComponent(room)}`, body);
  const texts = (c: ProtoClient) => c.received.filter((p: Packet) => p.op === 1000).map(bodyText);

  it('refuses an auth room outside the token\'s rooms (auth_failed with the reason); a prefix grant admits', async () => {
    const refused = await refusedAuth(0, { rooms: ['live://*'] }, { room_id: 'game://1' });
    assert.equal(refused.code, 'auth_failed');
    assert.match(String(refused.reason), /room game:\/\/1 is not permitted/);
    const ok = await client(1, { rooms: ['live://*', 'chat://7'] }, { room_id: 'live://p1' });
    ok.close();
  });

  it('refuses op 12 and op 23 outside the grants with op 22 forbidden_room, and nothing changes: a push to that room does not reach it', async () => {
    const cs = [await client(0, { rooms: ['live://*', 'chat://7'] }, { room_id: 'live://p2' }), await client(1, { rooms: ['live://*'] }, { room_id: 'live://p2' })];
    for (const c of cs) {
      c.send(Op.ChangeRoom, 'game://2', 21);
      let err = await c.op(Op.Error);
      assert.deepEqual([err.seq, bodyJson(err).code], [21, 'forbidden_room']);
      c.send(Op.JoinRoom, 'game://2', 22);
      err = await c.next((p) => p.op === Op.Error && p.seq === 22);
      assert.equal(bodyJson(err).code, 'forbidden_room');
    }
    assert.equal((await roomPush('game', '2', 'to-game')).status, 200);
    assert.equal((await roomPush('live', 'p2', 'to-p2')).status, 200);
    for (const c of cs) await c.next((p) => p.op === 1000 && bodyText(p) === 'to-p2', 10_000);
    // An exact grant and a prefix grant move the client.
    cs[0].send(Op.JoinRoom, 'chat://7', 23);
    await cs[0].op(Op.JoinRoomReply);
    cs[1].send(Op.ChangeRoom, 'live://p3', 24);
    await cs[1].op(Op.ChangeRoomReply);
    await roomPush('chat', '7', 'to-chat7');
    await roomPush('live', 'p3', 'to-p3');
    await cs[0].next((p) => p.op === 1000 && bodyText(p) === 'to-chat7', 10_000);
    await cs[1].next((p) => p.op === 1000 && bodyText(p) === 'to-p3', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const c of cs) assert.equal(texts(c).includes('to-game'), false, 'a push to a refused room reached the client');
    cs.forEach((c) => c.close());
  });

  it('refuses operations outside the token\'s ops with op 22 forbidden_operation (subscribe, send) and at auth (accepts)', async () => {
    const refused = await refusedAuth(0, { ops: [1000] }, { accepts: [1000, 1001] });
    assert.match(String(refused.reason), /operation 1001 is not permitted/);
    const c = await client(1, { ops: { send: [1002], sub: [1000] } });
    c.send(Op.Sub, '1001', 31);
    assert.equal(bodyJson(await c.next((p) => p.op === Op.Error && p.seq === 31)).code, 'forbidden_operation');
    c.send(1003, 'no', 32);
    assert.equal(bodyJson(await c.next((p) => p.op === Op.Error && p.seq === 32)).code, 'forbidden_operation');
    c.send(1002, 'yes', 33);
    await c.next((p) => p.op === Op.SendMsgReply && p.seq === 33, 10_000);
    c.close();
  });

  it('join hook: allow, deny with the hook\'s reason, and hook down fails closed with a clear op 22 reason', async () => {
    const c = await client(0, {}, { room_id: 'hook://ok/1', platform: 'ios' });
    assert.ok(asked.includes(`${mid} hook://ok/1 ios`), 'the hook was asked about the auth room');
    c.send(Op.JoinRoom, 'hook://ok/2', 41);
    await c.next((p) => p.op === Op.JoinRoomReply && p.seq === 41);
    c.send(Op.JoinRoom, 'hook://deny/3', 42);
    const denied = bodyJson(await c.next((p) => p.op === Op.Error && p.seq === 42));
    assert.deepEqual(denied, { code: 'forbidden_room', reason: 'no entry to hook://deny/3' });
    const refused = await refusedAuth(1, {}, { room_id: 'hook://deny/4' });
    assert.deepEqual(refused, { code: 'auth_failed', reason: 'no entry to hook://deny/4' });
    hookDown = true;
    try {
      c.send(Op.ChangeRoom, 'hook://ok/5', 43);
      const down = bodyJson(await c.next((p) => p.op === Op.Error && p.seq === 43, 10_000));
      assert.equal(down.code, 'forbidden_room');
      assert.match(String(down.reason), /join hook unreachable.*fail closed/);
      await roomPush('hook', 'ok/5', 'to-ok5');
      await roomPush('hook', 'ok/1', 'to-ok1');
      await c.next((p) => p.op === 1000 && bodyText(p) === 'to-ok1', 10_000);
      assert.equal(texts(c).includes('to-ok5'), false);
      // At auth a hook that is down is a dependency failure: retryable, not a refusal.
      const unavailable = await refusedAuth(1, {}, { room_id: 'hook://ok/6' });
      assert.equal(unavailable.code, 'unavailable');
    } finally {
      hookDown = false;
    }
    c.close();
  });
});
