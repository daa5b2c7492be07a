import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { type ConsumedRecord, KafkaConsumer } from '@imgate/queue';
import { decodeUpstreamMsg } from '@imgate/contracts';
import { encode, Op } from '@imgate/protocol';
import { bodyJson, bodyText, type Cluster, post, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

const HANDSHAKE_MS = 1_500;

describe('client path: comet, logic and job as separate processes on real Redis and Kafka', () => {
  let cluster: Cluster;
  let ws: string;
  let tcp: number;
  before(async () => {
    cluster = await startCluster({ name: 'client-path', env: { COMET_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_MS) } });
    ws = cluster.comets[0].wsUrl;
    tcp = cluster.comets[0].tcp;
  });
  after(async () => cluster?.stop());

  const token = (mid: number) => signHs256({ mid });

  it('authenticates a WebSocket and a TCP client by JWT and pushes to each by key and by mid', async () => {
    const a = await ProtoClient.ws(ws);
    const b = await ProtoClient.tcp(tcp);
    const ida = await a.auth({ token: await token(1001), room_id: 'live://1', platform: 'web', accepts: [1000, 1001] });
    const idb = await b.auth({ token: await token(1002), accepts: [1000] });
    assert.equal(ida.mid, 1001);
    assert.equal(idb.mid, 1002);
    assert.match(ida.key, /^[0-9a-f-]{36}$/);

    let res = await post(`${cluster.logic.url}/goim/push/keys?operation=1000&keys=${ida.key}&keys=${idb.key}`, 'to-keys');
    assert.equal(res.status, 200);
    const { id, ...rest } = res.json.data as { id: string };
    assert.deepEqual({ ...res.json, data: rest }, { code: 0, message: '', data: { records: 1, offline: [] } });
    assert.match(id, /^[1-9][0-9]{15,19}$/, 'every push answers its message id');
    assert.equal(bodyText(await a.op(1000)), 'to-keys');
    assert.equal(bodyText(await b.op(1000)), 'to-keys');

    res = await post(`${cluster.logic.url}/goim/push/mids?operation=1001&mids=1001&mids=1002`, 'to-mids');
    assert.equal(res.status, 200);
    assert.equal(bodyText(await a.op(1001)), 'to-mids');

    res = await post(`${cluster.logic.url}/v1/push/mids`, { mids: [1002], op: 1000, body: { hello: 'json' } });
    assert.equal(res.status, 200);
    const p = await b.next((q) => q.op === 1000 && bodyText(q).includes('json'));
    assert.deepEqual(bodyJson(p), { hello: 'json' });
    // b does not accept 1001, so the mid push above must not have reached it.
    assert.equal(b.received.filter((q) => q.op === 1001).length, 0);
    a.close();
    b.close();
  });

  it("writes a client's op 4 to the upstream topic and answers op 5 with its seq", async () => {
    const seen: ConsumedRecord[] = [];
    const consumer = new KafkaConsumer(
      {
        brokers: cluster.env.KAFKA_BROKERS.split(','),
        clientId: 'test-upstream',
        topics: [cluster.env.KAFKA_UPSTREAM_TOPIC],
        topic: cluster.env.KAFKA_UPSTREAM_TOPIC,
        partitions: 4,
        groupId: `test-upstream-${cluster.name}`,
        sessionTimeoutMs: 10_000,
        concurrency: 1,
        minBytes: 1,
        maxWaitMs: 100,
        retryMaxMs: 1_000,
      },
      pino({ level: 'silent' }),
    );
    await consumer.start(async (batch) => void seen.push(...batch));
    try {
      const c = await ProtoClient.tcp(tcp);
      const id = await c.auth({ token: await token(2001), room_id: 'live://7' });
      const seq = c.send(Op.SendMsg, 'hello upstream', 77);
      const reply = await c.next((p) => p.op === Op.SendMsgReply || p.op === Op.Error);
      assert.equal(reply.op, Op.SendMsgReply, bodyText(reply));
      assert.equal(reply.seq, seq);
      await waitFor(() => seen.length > 0, 30_000, 'the upstream record');
      const msg = decodeUpstreamMsg(seen[0].value);
      assert.equal(msg.mid, 2001);
      assert.equal(msg.key, id.key);
      assert.equal(msg.roomId, 'live://7');
      assert.equal(msg.seq, 77);
      assert.equal(msg.operation, Op.SendMsg);
      assert.equal(Buffer.from(msg.body).toString(), 'hello upstream');
      assert.equal(msg.server, cluster.comets[0].id);
      c.close();
    } finally {
      await consumer.stop();
    }
  });

  it('refuses bad tokens with a reason and closes only that connection', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ token: 'not-a-jwt' }, /not a JWT/],
      [{ token: await signHs256({ mid: 5 }, 'a-different-secret-of-at-least-32-bytes!!') }, /signature/],
      [{ token: await signHs256({ mid: 5 }, undefined, '-1m') }, /expired/],
      [{ token: await signHs256({ name: 'no mid' }) }, /numeric user id/],
      [{ token: await token(5), mid: 6 }, /does not match/],
      [{ mid: 5 }, /token is required/],
    ];
    for (const [body, reason] of cases) {
      const c = await ProtoClient.ws(ws);
      await assert.rejects(c.auth(body), reason);
      const disconnect = c.received.find((p) => p.op === Op.DisconnectReply);
      assert.equal(bodyJson(disconnect!).code, 'auth_failed');
      await c.closedPromise;
    }
    // Garbage that is not even JSON is refused too.
    const c = await ProtoClient.tcp(tcp);
    c.send(Op.Auth, '{not json');
    assert.match(bodyText(await c.op(Op.DisconnectReply)), /not JSON/);
    await c.closedPromise;
  });

  it('closes a connection that does not authenticate within the handshake timeout', async () => {
    const t = await ProtoClient.tcp(tcp);
    const w = await ProtoClient.ws(ws);
    const started = Date.now();
    await Promise.all([t.closedPromise, w.closedPromise]);
    const waited = Date.now() - started;
    assert.ok(waited >= HANDSHAKE_MS - 200, `closed after ${waited} ms`);
    for (const c of [t, w]) assert.equal(bodyJson(c.received[0]).code, 'handshake_timeout');
  });

  it('answers a checksummed client with checksummed packets, and a corrupted checksum closes that connection only', async () => {
    const sum = await ProtoClient.tcp(tcp, { checksum: true });
    const other = await ProtoClient.tcp(tcp);
    const ids = await sum.auth({ token: await token(3001), accepts: [1000] });
    const ido = await other.auth({ token: await token(3002), accepts: [1000] });
    sum.send(Op.Heartbeat);
    const hb = await sum.op(Op.HeartbeatReply);
    assert.equal(hb.checksum, true);
    assert.equal(sum.received.every((p) => p.checksum), true);
    await post(`${cluster.logic.url}/goim/push/keys?operation=1000&keys=${ids.key}`, 'summed');
    const pushed = await sum.op(1000);
    assert.equal(pushed.checksum, true);
    assert.equal(bodyText(pushed), 'summed');

    const bad = encode({ op: Op.Heartbeat, seq: 9, body: new Uint8Array([1, 2, 3]), checksum: true });
    bad[bad.length - 1] ^= 0xff;
    sum.writeRaw(bad);
    const bye = await sum.op(Op.DisconnectReply);
    assert.equal(bodyJson(bye).code, 'bad_checksum');
    await sum.closedPromise;

    await post(`${cluster.logic.url}/goim/push/keys?operation=1000&keys=${ido.key}`, 'still here');
    assert.equal(bodyText(await other.op(1000)), 'still here');
    assert.equal(other.checksum, false);
    assert.equal(other.received.every((p) => !p.checksum), true);
    other.close();
  });

  it('ends connections that send malformed frames, with a reason, and keeps serving everyone else', async () => {
    const witness = await ProtoClient.ws(ws);
    const wid = await witness.auth({ token: await token(4001), accepts: [1000] });
    const frames: Array<[string, Uint8Array, string]> = [
      ['bad headerLen', Uint8Array.from([0, 0, 0, 16, 0, 17, 0, 1, 0, 0, 0, 7, 0, 0, 0, 1]), 'bad_header_len'],
      ['packLen below the header', Uint8Array.from([0, 0, 0, 3, 0, 16, 0, 1, 0, 0, 0, 7, 0, 0, 0, 1]), 'bad_packet_len'],
      ['oversized packLen', Uint8Array.from([0x7f, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 7, 0, 0, 0, 1]), 'packet_too_large'],
      ['op before auth', encode({ op: Op.SendMsg, seq: 1 }), 'op_before_auth'],
    ];
    for (const [what, bytes, code] of frames) {
      for (const open of [() => ProtoClient.tcp(tcp), () => ProtoClient.ws(ws)]) {
        const c = await open();
        c.writeRaw(bytes);
        const bye = await c.op(Op.DisconnectReply);
        assert.equal(bodyJson(bye).code, code, what);
        await c.closedPromise;
      }
    }
    await post(`${cluster.logic.url}/goim/push/keys?operation=1000&keys=${wid.key}`, 'unharmed');
    assert.equal(bodyText(await witness.op(1000)), 'unharmed');
    const metrics = await (await fetch(`http://127.0.0.1:${cluster.comets[0].http}/metrics`)).text();
    assert.match(metrics, /imgate_comet_protocol_errors_total\{reason="bad_header_len"\} [1-9]/);
    assert.match(metrics, /imgate_comet_protocol_errors_total\{reason="op_before_auth"\} [1-9]/);
    witness.close();
  });

  it('removes the session from Redis when the client leaves', async () => {
    const c = await ProtoClient.ws(ws);
    const id = await c.auth({ token: await token(5001), accepts: [1000] });
    c.close();
    await c.closedPromise;
    await waitFor(async () => {
      const res = await post(`${cluster.logic.url}/goim/push/keys?operation=1000&keys=${id.key}`, 'gone?');
      const { records, offline } = res.json.data as { records: number; offline: string[] };
      return JSON.stringify({ records, offline }) === JSON.stringify({ records: 0, offline: [id.key] });
    }, 5_000, 'the session to be removed');
  });
});
