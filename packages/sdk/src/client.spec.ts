import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { ImgateClient } from './client.js';
import { ImgateError } from './errors.js';
import type { ClientEvents } from './events.js';
import type { ImgateClientOptions } from './options.js';
import { FakeNetwork, int32 } from './testing/fake-network.js';
import { FakeTime } from './testing/fake-time.js';

/** A client on fake time and a fake network, recording every event. */
function setup(opts: ImgateClientOptions = {}) {
  const time = new FakeTime();
  const net = new FakeNetwork();
  const client = new ImgateClient({
    nodes: ['ws://a/sub', 'ws://b/sub'],
    mid: 7,
    room: 'live://1',
    accepts: [1000, 1001],
    clock: time,
    timers: time,
    random: () => 0.5,
    watchNetwork: false,
    ...opts,
    transports: { ws: net.factory, tcp: net.factory, kcp: net.factory, ...opts.transports },
  });
  const events: Array<{ [K in keyof ClientEvents]: [K, ClientEvents[K]] }[keyof ClientEvents]> = [];
  for (const name of ['connected', 'message', 'online', 'disconnected', 'reconnecting', 'kicked', 'error'] as const) {
    client.on(name, (e) => events.push([name, e] as never));
  }
  const named = <K extends keyof ClientEvents>(name: K) => events.filter((e) => e[0] === name).map((e) => e[1] as ClientEvents[K]);
  return { time, net, client, events, named };
}

/** Connects the client to the next fake link and answers its auth. */
async function online(s: ReturnType<typeof setup>, reply: Record<string, unknown> = {}) {
  const started = s.client.connect();
  await s.time.advance(0);
  const link = s.net.last();
  link.open();
  link.acceptAuth(reply);
  await s.time.advance(0);
  return { link, info: await started };
}

describe('ImgateClient', () => {
  it('authenticates with its room, accepts and mid, then reports connected and the room count', async () => {
    const s = setup();
    const started = s.client.connect();
    await s.time.advance(0);
    const link = s.net.last();
    assert.equal(link.address, 'ws://a/sub');
    link.open();
    assert.deepEqual(link.authBody(), { room_id: 'live://1', platform: 'web', accepts: [1000, 1001], mid: 7 });
    assert.equal(s.client.state, 'connecting');
    link.acceptAuth({ key: 'k1' });
    const info = await started;
    assert.deepEqual(info, { mid: 7, key: 'k1', node: 'ws://a/sub', nodeId: 'ws://a/sub', room: 'live://1', transport: 'ws', heartbeatMs: 60_000, resumed: false });
    assert.equal(s.client.state, 'open');
    // An op 2 right away fetches the count; its op 3 reply carries it.
    const probe = link.lastSent(Op.Heartbeat);
    link.reply(Op.HeartbeatReply, probe.seq, int32(42));
    assert.deepEqual(s.named('online'), [{ room: 'live://1', count: 42 }]);
    assert.equal(await s.client.connect(), info, 'connect() again resolves with the open connection');
  });

  it('sends a token instead of a mid, and asks a token function afresh on every connect', async () => {
    let n = 0;
    const s = setup({ mid: undefined, token: async () => `jwt-${++n}` });
    const { link } = await online(s);
    assert.equal(link.authBody().token, 'jwt-1');
    assert.equal('mid' in link.authBody(), false);
    link.drop();
    await s.time.advance(1_000);
    s.net.last().open();
    assert.equal(s.net.last().authBody().token, 'jwt-2');
  });

  it('resolves send() with the op 5 of its seq and rejects on op 22, on timeout and on disconnect', async () => {
    const s = setup({ requestTimeoutMs: 2_000 });
    const { link } = await online(s);
    const ok = s.client.send('hello');
    const refused = s.client.send(new Uint8Array([1, 2]), 1005);
    const slow = s.client.send({ a: 1 });
    const [p1, p2, p3] = link.sentOps(Op.SendMsg).concat(link.sentOps(1005)).sort((x, y) => x.seq - y.seq);
    assert.deepEqual([p1.op, p2.op, p3.op], [4, 1005, 4]);
    assert.equal(new TextDecoder().decode(p3.body), '{"a":1}');
    link.reply(Op.Error, p2.seq, { code: 'upstream_failed', reason: 'kafka down' });
    link.reply(Op.SendMsgReply, p1.seq);
    assert.deepEqual(await ok, { seq: p1.seq });
    await assert.rejects(refused, (err: ImgateError) => err.code === 'upstream_failed' && /kafka down/.test(err.message));
    const timedOut = assert.rejects(slow, (err: ImgateError) => err.code === 'timeout');
    await s.time.advance(2_000);
    await timedOut;
    const lost = s.client.send('x');
    link.drop('network gone');
    await assert.rejects(lost, (err: ImgateError) => err.code === 'disconnected');
    await assert.rejects(s.client.send('y'), (err: ImgateError) => err.code === 'not_connected');
    await assert.rejects(s.client.send('z', 999), /business operation/);
  });

  it('heartbeats at the interval the server allows, grows it while answered, and reconnects when one goes unanswered', async () => {
    const s = setup({ heartbeat: { growAfter: 2, replyTimeoutMs: 5_000 } });
    const { link } = await online(s);
    link.reply(Op.HeartbeatReply, link.lastSent(Op.Heartbeat).seq, int32(1)); // the probe
    const beats: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = link.sentOps(Op.Heartbeat).length;
      const start = s.time.now();
      while (link.sentOps(Op.Heartbeat).length === before) await s.time.advance(1_000);
      beats.push(s.time.now() - start);
      link.reply(Op.HeartbeatReply, link.lastSent(Op.Heartbeat).seq, int32(1));
    }
    assert.deepEqual(beats, [60_000, 60_000, 90_000], 'two answered heartbeats grow the interval by one step');
    await s.time.advance(90_000); // the next heartbeat goes out, and nobody answers
    await s.time.advance(4_999);
    assert.equal(link.closed, false);
    await s.time.advance(1);
    assert.equal(link.closed, true);
    assert.equal(s.named('disconnected')[0]?.code, 'heartbeat_timeout');
    assert.deepEqual(s.named('reconnecting')[0], { attempt: 1, delayMs: 500, node: 'ws://b/sub', reason: 'heartbeat_timeout: no heartbeat reply within 5000 ms (interval 90000 ms)' });
    await s.time.advance(500);
    const next = s.net.last();
    assert.equal(next.address, 'ws://b/sub', 'the node that failed is passed over');
    next.open();
    next.acceptAuth();
    await s.time.advance(0);
    assert.equal(s.client.connection?.heartbeatMs, 60_000, "halved after the miss (90 s → 45 s), held at the server's min");
  });

  it('restores its room, extra rooms and operations on reconnect', async () => {
    const s = setup();
    const { link } = await online(s);
    const room = s.client.changeRoom('live://2');
    link.reply(Op.ChangeRoomReply, link.lastSent(Op.ChangeRoom).seq, 'live://2');
    assert.equal(await room, 'live://2');
    const join = s.client.joinRoom('live://extra');
    link.reply(Op.JoinRoomReply, link.lastSent(Op.JoinRoom).seq, 'live://extra');
    await join;
    const sub = s.client.subscribe([1005]);
    assert.equal(new TextDecoder().decode(link.lastSent(Op.Sub).body), '1005');
    link.reply(Op.SubReply, link.lastSent(Op.Sub).seq, '1005');
    assert.deepEqual(await sub, [1005]);
    const unsub = s.client.unsubscribe([1001]);
    link.reply(Op.UnsubReply, link.lastSent(Op.Unsub).seq, '1001');
    await unsub;

    link.drop('comet killed');
    assert.equal(s.named('disconnected')[0]?.willReconnect, true);
    await s.time.advance(500);
    const next = s.net.last();
    next.open();
    assert.deepEqual(next.authBody(), { room_id: 'live://2', platform: 'web', accepts: [1000, 1005], mid: 7 });
    next.acceptAuth();
    await s.time.advance(0);
    assert.equal(new TextDecoder().decode(next.lastSent(Op.JoinRoom).body), 'live://extra');
    assert.equal(next.sentOps(Op.ChangeRoom).length, 0, 'the auth already carried the room');
  });

  it('applies changes made while disconnected on the next connection, and sends what changed after the auth went out', async () => {
    const s = setup();
    const { link } = await online(s);
    link.drop();
    const moved = s.client.changeRoom('live://9');
    await s.time.advance(500);
    const next = s.net.last();
    next.open();
    assert.equal(next.authBody().room_id, 'live://9');
    void s.client.subscribe([1009]); // after the auth was sent
    next.acceptAuth();
    await s.time.advance(0);
    assert.equal(await moved, 'live://9');
    assert.equal(new TextDecoder().decode(next.lastSent(Op.Sub).body), '1009');
  });

  it('reverts a room change the server refuses', async () => {
    const s = setup();
    const { link } = await online(s);
    const bad = s.client.changeRoom('live://\u0001');
    link.reply(Op.Error, link.lastSent(Op.ChangeRoom).seq, { code: 'bad_room', reason: 'not printable' });
    await assert.rejects(bad, (err: ImgateError) => err.code === 'bad_room');
    assert.equal(s.client.room, 'live://1');
  });

  it('moves at once to the node a draining comet names (op 20), passing over the draining one', async () => {
    const s = setup({ nodes: ['ws://a/sub', 'ws://b/sub', 'ws://c/sub'] });
    const { link } = await online(s);
    link.reply(Op.Reconnect, 0, { code: 'draining', reason: 'comet shutting down', nodes: [{ id: 'comet-c', ws: 'ws://c/sub', tcp: 'c:3101', kcp: '' }] });
    assert.deepEqual(s.named('disconnected')[0], { code: 'draining', reason: 'comet shutting down', node: 'ws://a/sub', willReconnect: true });
    assert.deepEqual(s.named('reconnecting')[0], { attempt: 0, delayMs: 0, node: 'ws://c/sub', reason: 'draining: comet shutting down' });
    await s.time.advance(0);
    const next = s.net.last();
    assert.equal(next.address, 'ws://c/sub');
    // Make before break: the draining comet's link still delivers until the new one is up.
    assert.equal(link.closed, false);
    link.reply(1000, 0, 'still arriving on the old link');
    assert.equal(s.named('message')[0]?.text(), 'still arriving on the old link');
    next.open();
    next.acceptAuth();
    await s.time.advance(0);
    assert.equal(link.closed, true, 'left once the new connection is up');
    assert.equal(s.client.connection?.nodeId, 'comet-c');
    link.reply(1000, 0, 'too late');
    assert.equal(s.named('message').length, 1);
  });

  it('reconnects after a kick only with reconnectOnKick, still reporting the kick', async () => {
    const s = setup({ reconnectOnKick: true });
    const { link } = await online(s);
    link.reply(Op.Kick, 0, { code: 'kicked', reason: 'by the operator' });
    assert.deepEqual(s.named('kicked'), [{ code: 'kicked', reason: 'by the operator' }]);
    assert.equal(s.named('disconnected')[0]?.willReconnect, true);
    await s.time.advance(120_000);
    assert.ok(s.net.links.length >= 2, 'reconnected');
    assert.notEqual(s.client.state, 'closed');
  });

  it('with an empty op-20 list, moves to the next node that is not the draining one', async () => {
    const s = setup();
    const { link } = await online(s);
    link.reply(Op.Reconnect, 0, { code: 'draining', reason: '', nodes: [] });
    await s.time.advance(0);
    assert.equal(s.net.last().address, 'ws://b/sub');
  });

  it('stops for good when kicked (op 21)', async () => {
    const s = setup();
    const { link } = await online(s);
    link.reply(Op.Kick, 0, { code: 'replaced', reason: 'a newer connection with the same key' });
    assert.deepEqual(s.named('kicked'), [{ code: 'replaced', reason: 'a newer connection with the same key' }]);
    assert.equal(s.named('disconnected')[0]?.willReconnect, false);
    assert.equal(s.client.state, 'closed');
    await s.time.advance(120_000);
    assert.equal(s.net.links.length, 1, 'no reconnect');
    await assert.rejects(s.client.connect(), (err: ImgateError) => err.code === 'closed');
  });

  it('gives up when a static token is refused, and connect() says why', async () => {
    const s = setup({ token: 'bad' });
    const started = s.client.connect();
    await s.time.advance(0);
    s.net.last().open();
    s.net.last().reply(Op.DisconnectReply, 0, { code: 'auth_failed', reason: 'signature verification failed' });
    await assert.rejects(started, (err: ImgateError) => err.code === 'auth_failed' && /signature/.test(err.message));
    await s.time.advance(60_000);
    assert.equal(s.net.links.length, 1);
  });

  it('gives up when the runtime has no WebSocket at all, and connect() says how to get one', async () => {
    const missing = new ImgateError('no_websocket', 'no global WebSocket and the ws package is not installed: npm install ws');
    const s = setup({
      transports: {
        ws: () => {
          throw missing;
        },
      },
    });
    await assert.rejects(s.client.connect(), (err: ImgateError) => err === missing);
    assert.equal(s.client.state, 'closed');
    assert.deepEqual(s.named('reconnecting'), [], 'another node or a later try cannot help');
    assert.equal(s.time.scheduled, 0);
  });

  it('backs off between failed attempts, with full jitter growing to the cap, and retries at once when told the network is back', async () => {
    const s = setup({ backoff: { baseMs: 1_000, capMs: 4_000 } });
    void s.client.connect();
    for (let i = 0; i < 4; i++) {
      await s.time.advance(0);
      s.net.last().drop('ECONNREFUSED');
      await s.time.advance(0);
      await s.time.advance(s.named('reconnecting').at(-1)!.delayMs);
    }
    assert.deepEqual(s.named('reconnecting').map((e) => e.delayMs), [500, 1_000, 2_000, 2_000]);
    assert.deepEqual(s.named('reconnecting').map((e) => e.node), ['ws://b/sub', 'ws://a/sub', 'ws://b/sub', 'ws://a/sub']);
    assert.equal(s.named('disconnected').length, 0, 'attempts that never connected are reported by reconnecting only');
    s.net.last().drop('ECONNREFUSED');
    await s.time.advance(0);
    const dialed = s.net.links.length;
    s.client.retryNow();
    await s.time.advance(0);
    assert.equal(s.net.links.length, dialed + 1, 'dialed without waiting out the backoff');
  });

  it("retries at once on the browser's online event, and stops listening when closed", async () => {
    const target = globalThis as unknown as { addEventListener?: unknown; removeEventListener?: unknown };
    const listeners = new Map<string, () => void>();
    target.addEventListener = (type: string, fn: () => void) => listeners.set(type, fn);
    target.removeEventListener = (type: string, fn: () => void) => {
      if (listeners.get(type) === fn) listeners.delete(type);
    };
    try {
      const s = setup({ watchNetwork: true, backoff: { baseMs: 60_000 } });
      void s.client.connect();
      await s.time.advance(0);
      s.net.last().drop('ENETUNREACH');
      await s.time.advance(0);
      assert.equal(s.client.state, 'waiting');
      listeners.get('online')?.();
      await s.time.advance(0);
      assert.equal(s.net.links.length, 2, 'dialed again without waiting 30 s');
      s.client.close();
      assert.equal(listeners.size, 0);
    } finally {
      delete target.addEventListener;
      delete target.removeEventListener;
    }
  });

  it('fails an attempt whose auth reply does not come within connectTimeoutMs', async () => {
    const s = setup({ connectTimeoutMs: 3_000 });
    void s.client.connect();
    await s.time.advance(0);
    s.net.last().open();
    await s.time.advance(3_000);
    assert.equal(s.net.links[0].closed, true);
    assert.match(s.named('reconnecting')[0]?.reason ?? '', /^connect_timeout/);
  });

  it('reads the node list from logic first, falling back to the given nodes when logic is away', async () => {
    let up = true;
    const urls: string[] = [];
    const s = setup({
      logicUrl: 'http://logic:3111/',
      fetch: async (url) => {
        urls.push(url);
        if (!up) throw new Error('ECONNREFUSED');
        return { ok: true, status: 200, json: async () => ({ code: 0, data: { nodes: [{ id: 'comet-x', ws: 'ws://x/sub' }, { id: 'comet-y', ws: 'ws://y/sub' }] } }) };
      },
    });
    const { link } = await online(s);
    assert.deepEqual(urls, ['http://logic:3111/goim/nodes/weighted']);
    assert.equal(link.address, 'ws://x/sub');
    up = false;
    link.drop();
    await s.time.advance(500);
    assert.equal(s.net.last().address, 'ws://y/sub', 'the last list stays in use');
    assert.equal(urls.length, 2);
  });

  it("calls the runtime's fetch unbound, as browsers require (a method call throws 'Illegal invocation' there)", async () => {
    const original = globalThis.fetch;
    const receivers: unknown[] = [];
    globalThis.fetch = function (this: unknown) {
      receivers.push(this);
      return Promise.reject(new Error('offline'));
    } as typeof fetch;
    try {
      const s = setup({ logicUrl: 'http://logic:3111' });
      void s.client.connect();
      await s.time.advance(0);
      assert.deepEqual(receivers, [undefined]);
      assert.equal(s.net.last().address, 'ws://a/sub', 'logic away: the given nodes are used');
      s.client.close();
    } finally {
      globalThis.fetch = original;
    }
  });

  it('writes checksummed packets when asked, unwraps op-9 batches, and hands business pushes over', async () => {
    const s = setup({ checksum: true });
    const { link } = await online(s);
    assert.ok(link.sent.every((p) => p.checksum), 'every packet uses the 20-byte header');
    link.batch([{ op: 1000, body: 'one' }, { op: 1001, body: '{"n":2}' }]);
    link.reply(1000, 0, 'three', true);
    const messages = s.named('message');
    assert.deepEqual(messages.map((m) => [m.op, m.text()]), [[1000, 'one'], [1001, '{"n":2}'], [1000, 'three']]);
    assert.deepEqual(messages[1].json(), { n: 2 });
    link.reply(Op.SendMsgReply, 999); // a late reply: not news
    assert.equal(s.named('message').length, 3);
    link.reply(Op.Error, 0, { code: 'unsupported_operation', reason: 'op 99' });
    assert.deepEqual(s.named('error'), [{ code: 'unsupported_operation', reason: 'op 99' }]);
  });

  it('close() ends the link, fails what is waiting and never reconnects', async () => {
    const s = setup();
    const { link } = await online(s);
    const waiting = s.client.send('x');
    s.client.close();
    await assert.rejects(waiting, (err: ImgateError) => err.code === 'closed' || err.code === 'disconnected');
    assert.equal(link.closed, true);
    assert.deepEqual(s.named('disconnected'), [{ code: 'closed', reason: 'closed by the client', node: 'ws://a/sub', willReconnect: false }]);
    await s.time.advance(600_000);
    assert.equal(s.net.links.length, 1);
    assert.equal(s.time.scheduled, 0, 'no timer left behind');
  });

  it('infers the transport from the first node, and refuses a client with nowhere to connect', async () => {
    const s = setup({ nodes: ['tcp://127.0.0.1:3101'] });
    await online(s);
    assert.equal(s.client.connection?.node, 'tcp://127.0.0.1:3101');
    assert.equal(s.client.connection?.transport, 'tcp');
    assert.throws(() => new ImgateClient({}), /nodes|logicUrl/);
  });
});
