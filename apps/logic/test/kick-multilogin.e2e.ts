import assert from 'node:assert/strict';
import { credentials, Metadata } from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { loadLogicProto } from '@imgate/contracts';
import { Op, type Packet } from '@imgate/protocol';
import { type DisconnectedEvent, ImgateClient, type KickedEvent } from '@imgate/sdk';
import { apiHeaders, bodyJson, type Cluster, post, ProtoClient, signHs256, startCluster, TEST_API_KEY, waitFor } from '@imgate/testing';

/**
 * Kick (HTTP and gRPC), the multi-login policies and token revocation, across two comets: logic
 * finds the sessions in Redis and calls each comet's Kick; clients see op 21 with the reason.
 */
describe('kick, multi-login and revocation (logic, two comets, job)', () => {
  let cluster: Cluster;
  let mid = 900;
  const sdks: ImgateClient[] = [];

  before(async () => {
    cluster = await startCluster({ name: 'kick', comets: 2, env: { LOGIC_ONE_PER_PLATFORM: '1', LOGIC_MAX_CONNS_PER_MID: '3' } });
  });
  after(async () => {
    sdks.forEach((c) => c.close());
    await cluster?.stop();
  });

  async function connect(comet: number, token: string, auth: Record<string, unknown> = {}): Promise<ProtoClient> {
    const c = comet === 0 ? await ProtoClient.ws(cluster.comets[0].wsUrl) : await ProtoClient.tcp(cluster.comets[1].tcp);
    await c.auth({ token, accepts: [1000], ...auth });
    return c;
  }

  /** The op-21 body the client got, once its connection closed. */
  async function kickedWith(c: ProtoClient, timeoutMs = 8_000): Promise<Record<string, unknown>> {
    const p: Packet = await c.op(Op.Kick, timeoutMs);
    await c.closedPromise;
    return bodyJson(p);
  }

  async function stillOpen(c: ProtoClient): Promise<void> {
    c.send(Op.Heartbeat, '', 77);
    await c.next((p) => p.op === Op.HeartbeatReply && p.seq === 77);
    assert.equal(c.closed, false);
  }

  it('POST /v1/kick by mid closes that user\'s connections on every comet with the reason; others stay', async () => {
    const user = ++mid;
    const a = await connect(0, await signHs256({ mid: user }), { platform: 'ios' });
    const b = await connect(1, await signHs256({ mid: user }), { platform: 'web' });
    const other = await connect(1, await signHs256({ mid: ++mid }));
    const res = await post(`${cluster.logic.url}/v1/kick`, { mids: [user], reason: 'account suspended' });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.closed, 2);
    for (const c of [a, b]) assert.deepEqual(await kickedWith(c), { code: 'kicked', reason: 'account suspended' });
    await stillOpen(other);
    other.close();
  });

  it('the admin API sits behind the push-plane API key (401 without it; the guard comes from the push-plane work)', async () => {
    assert.equal((await post(`${cluster.logic.url}/v1/kick`, { mids: [1], reason: 'x' }, undefined, {})).status, 401);
    assert.equal((await post(`${cluster.logic.url}/v1/revoke`, { mid: 1 }, undefined, {})).status, 401);
  });

  it('gRPC Kick by key closes exactly that connection; gRPC Revoke by mid cuts the rest', async () => {
    const user = ++mid;
    const a = await ProtoClient.ws(cluster.comets[0].wsUrl);
    const { key } = await a.auth({ token: await signHs256({ mid: user }), platform: 'p1' });
    const b = await connect(1, await signHs256({ mid: user }), { platform: 'p2' });
    const Logic = loadLogicProto().imgate.logic.Logic;
    const logic = new Logic(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    try {
      const md = new Metadata();
      md.set('authorization', `Bearer ${TEST_API_KEY}`);
      const closed = await new Promise<number>((resolve, reject) =>
        logic.Kick({ keys: [key], reason: 'by key' }, md, { deadline: Date.now() + 10_000 }, (err, r) => (err ? reject(err) : resolve(r?.closed ?? -1))),
      );
      assert.equal(closed, 1);
      assert.deepEqual(await kickedWith(a), { code: 'kicked', reason: 'by key' });
      await stillOpen(b);
      // gRPC Revoke: every token of the user issued before now (before 0 = now).
      await new Promise((r) => setTimeout(r, 1_100));
      const revoked = await new Promise<number>((resolve, reject) =>
        logic.Revoke({ mid: user }, md, { deadline: Date.now() + 10_000 }, (err, r) => (err ? reject(err) : resolve(r?.closed ?? -1))),
      );
      assert.equal(revoked, 1);
      assert.equal((await kickedWith(b)).code, 'revoked');
    } finally {
      logic.close();
    }
  });

  it('the SDK emits kicked and does not reconnect; with reconnectOnKick it does', async () => {
    const user = ++mid;
    const sdk = (reconnectOnKick: boolean) => {
      const c = new ImgateClient({ nodes: [cluster.comets[0].wsUrl, cluster.comets[1].wsUrl], token: () => signHs256({ mid: user }), platform: reconnectOnKick ? 'again' : 'once', watchNetwork: false, backoff: { baseMs: 200, capMs: 500 }, reconnectOnKick });
      const seen = { kicked: [] as KickedEvent[], drops: [] as DisconnectedEvent[], connects: 0 };
      c.on('kicked', (e) => seen.kicked.push(e));
      c.on('disconnected', (e) => seen.drops.push(e));
      c.on('connected', () => seen.connects++);
      sdks.push(c);
      return { c, seen };
    };
    const once = sdk(false);
    const again = sdk(true);
    await Promise.all([once.c.connect(), again.c.connect()]);
    const res = await post(`${cluster.logic.url}/v1/kick`, { mids: [user], reason: 'please log in again' });
    assert.equal(res.json.closed, 2);
    await waitFor(() => once.c.state === 'closed' && again.seen.connects >= 2, 10_000, 'the plain client to stop and the opted-in one to reconnect');
    assert.deepEqual(once.seen.kicked, [{ code: 'kicked', reason: 'please log in again' }]);
    assert.equal(once.seen.drops[0]?.willReconnect, false);
    assert.deepEqual(again.seen.kicked, [{ code: 'kicked', reason: 'please log in again' }]);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(once.seen.connects, 1, 'the kicked client reconnected');
    assert.equal(again.c.state, 'open');
  });

  it('a 2nd login on the same platform kicks the 1st (login_elsewhere) on the other comet; another platform stays', async () => {
    const user = ++mid;
    const ios1 = await connect(0, await signHs256({ mid: user }), { platform: 'ios' });
    const web = await connect(0, await signHs256({ mid: user }), { platform: 'web' });
    const ios2 = await connect(1, await signHs256({ mid: user }), { platform: 'ios' });
    const k = await kickedWith(ios1);
    assert.equal(k.code, 'login_elsewhere');
    await stillOpen(web);
    await stillOpen(ios2);
    [web, ios2].forEach((c) => c.close());
  });

  it('past LOGIC_MAX_CONNS_PER_MID (3) the oldest connection is kicked (too_many_connections)', async () => {
    const user = ++mid;
    const cs: ProtoClient[] = [];
    for (let i = 0; i < 3; i++) cs.push(await connect(i % 2, await signHs256({ mid: user }), { platform: `dev${i}` }));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(cs.every((c) => !c.closed));
    cs.push(await connect(1, await signHs256({ mid: user }), { platform: 'dev3' }));
    assert.equal((await kickedWith(cs[0])).code, 'too_many_connections');
    for (const c of cs.slice(1)) await stillOpen(c);
    cs.forEach((c) => c.close());
  });

  it('revoking a jti cuts the live connection within seconds and refuses the token afterwards', async (t) => {
    const user = ++mid;
    const token = await signHs256({ mid: user, jti: `jti-${user}` });
    const victim = await connect(1, token, { platform: 'a' });
    const bystander = await connect(0, await signHs256({ mid: user, jti: `jti-${user}-b` }), { platform: 'b' });
    const t0 = Date.now();
    const res = await post(`${cluster.logic.url}/v1/revoke`, { jti: `jti-${user}`, exp: Math.floor(Date.now() / 1000) + 600 });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal((await kickedWith(victim)).code, 'revoked');
    const ms = Date.now() - t0;
    t.diagnostic(`jti revocation: op 21 ${ms} ms after the request`);
    assert.ok(ms < 5_000, `cut after ${ms} ms`);
    await assert.rejects(connect(0, token), /auth_failed: token revoked/);
    await stillOpen(bystander);
    bystander.close();
  });

  it('revoking "all tokens of mid N issued before T" cuts live connections and refuses those tokens; a newer token works', async (t) => {
    const user = ++mid;
    const old = await signHs256({ mid: user });
    const cs = [await connect(0, old, { platform: 'x' }), await connect(1, await signHs256({ mid: user }), { platform: 'y' })];
    await new Promise((r) => setTimeout(r, 1_100));
    const t0 = Date.now();
    const res = await post(`${cluster.logic.url}/v1/revoke`, { mid: user, before: Date.now() / 1000 });
    assert.equal(res.json.closed, 2, JSON.stringify(res.json));
    for (const c of cs) assert.equal((await kickedWith(c)).code, 'revoked');
    const ms = Date.now() - t0;
    t.diagnostic(`mid+before revocation: both connections closed ${ms} ms after the request`);
    assert.ok(ms < 5_000, `cut after ${ms} ms`);
    await assert.rejects(connect(1, old), /auth_failed: token revoked: user/);
    await new Promise((r) => setTimeout(r, 1_100));
    const fresh = await connect(1, await signHs256({ mid: user }));
    await stillOpen(fresh);
    fresh.close();
  });

  it('refuses malformed admin requests with 400 and a reason', async () => {
    assert.equal((await post(`${cluster.logic.url}/v1/kick`, { reason: 'nobody' })).status, 400);
    assert.equal((await post(`${cluster.logic.url}/v1/revoke`, { before: 5 })).status, 400);
    const bad = await post(`${cluster.logic.url}/v1/kick`, { mids: ['1'], reason: 'x' }, undefined, apiHeaders());
    assert.equal(bad.status, 400);
  });
});
