import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Op } from '@imgate/protocol';
import { ImgateApiError, ImgateGrpcClient, ImgateHttpClient, UpstreamConsumer, type UpstreamMessage } from '@imgate/server-client';
import { bodyJson, bodyText, type Cluster, ProtoClient, repoRoot, signHs256, startCluster, TEST_API_KEY, waitFor } from '@imgate/testing';
import { CHAT_OP, ChatSample } from '../src/chat-sample';

describe('@imgate/server-client against a cluster (real Redis and Kafka)', () => {
  let cluster: Cluster;
  let http: ImgateHttpClient;
  let grpc: ImgateGrpcClient;
  let client: ProtoClient;
  let key = '';
  const MID = 9_001;

  before(async () => {
    cluster = await startCluster({ name: 'server-client', env: { COMET_ONLINE_REPORT_MS: '300', LOGIC_ONLINE_REFRESH_MS: '200' } });
    http = new ImgateHttpClient({ url: cluster.logic.url, apiKey: TEST_API_KEY });
    grpc = new ImgateGrpcClient({ target: `127.0.0.1:${cluster.logic.grpc}`, apiKey: TEST_API_KEY });
    client = await ProtoClient.tcp(cluster.comets[0].tcp);
    key = (await client.auth({ token: await signHs256({ mid: MID }), room_id: 'live://sc', accepts: [CHAT_OP, 1001] })).key;
  });
  after(async () => {
    client?.close();
    grpc?.close();
    await cluster?.stop();
  });

  const arrives = (op: number, text: string) => client.next((p) => p.op === op && bodyText(p) === text, 15_000);

  it('pushes over HTTP and over gRPC with the API key: to a user, a connection key and a room', async () => {
    const byMid = await http.pushMids([MID], 1001, 'http to mid');
    assert.match(byMid.id, /^[1-9]\d*$/);
    assert.equal(byMid.records, 1);
    await arrives(1001, 'http to mid');
    const byKey = await grpc.pushKeys([key], 1001, 'grpc to key');
    assert.match(byKey.id, /^[1-9]\d*$/);
    assert.equal(byKey.records, 1);
    await arrives(1001, 'grpc to key');
    await http.pushRoom('live://sc', CHAT_OP, { hello: 'room' });
    await arrives(CHAT_OP, '{"hello":"room"}');
    await grpc.pushMids([MID], 1001, new Uint8Array([0x68, 0x69]));
    await arrives(1001, 'hi');
    // An idempotency key makes a retried push one push.
    const first = await grpc.pushRoom('live://sc', CHAT_OP, 'once', { idempotencyKey: 'sc-once' });
    const again = await http.pushRoom('live://sc', CHAT_OP, 'once', { idempotencyKey: 'sc-once' });
    assert.equal(again.id, first.id);
    assert.equal(again.duplicate, true);
  });

  it('refuses a client without the API key or with a wrong one, with the reason, and the push is not made', async () => {
    const noKey = new ImgateHttpClient({ url: cluster.logic.url, apiKey: '' });
    const wrongHttp = new ImgateHttpClient({ url: cluster.logic.url, apiKey: 'k'.repeat(8) + 'not-a-key-of-this-cluster-0123456789' });
    const wrongGrpc = new ImgateGrpcClient({ target: `127.0.0.1:${cluster.logic.grpc}`, apiKey: 'not-a-key-of-this-cluster-0123456789abcdef' });
    const mark = client.received.length;
    try {
      for (const attempt of [() => noKey.pushMids([MID], 1001, 'no key'), () => wrongHttp.pushMids([MID], 1001, 'wrong key')]) {
        await assert.rejects(attempt(), (err: unknown) => err instanceof ImgateApiError && err.status === 401 && /key/i.test(err.message));
      }
      // gRPC status 16 is UNAUTHENTICATED.
      await assert.rejects(wrongGrpc.pushMids([MID], 1001, 'wrong key'), (err: unknown) => err instanceof ImgateApiError && err.status === 16 && /key/i.test(err.message));
      await http.pushMids([MID], 1001, 'after the refusals');
      await client.next((p) => p.op === 1001 && bodyText(p) === 'after the refusals', 15_000, mark);
      const refused = client.received.slice(mark).filter((p) => ['no key', 'wrong key'].includes(bodyText(p)));
      assert.deepEqual(refused, [], 'no refused push reached the client');
    } finally {
      wrongGrpc.close();
    }
  });

  it('reads online counts and the delivery report', async () => {
    await waitFor(async () => (await http.roomCounts(['live://sc']))['live://sc'] === 1, 10_000, 'the room count to reach logic');
    assert.ok((await http.total()).connections >= 1);
    assert.deepEqual((await http.topRooms('live', 5))[0], { room: 'live://sc', count: 1 });
    const viaHttp = await http.delivery(MID);
    const viaGrpc = await grpc.delivery(MID);
    assert.equal(viaHttp.stream, `u:${MID}`);
    assert.ok(viaHttp.head >= 2, `the user stream holds the pushes to mid ${MID}`);
    assert.equal(viaGrpc.head, viaHttp.head);
  });

  it('consumes the upstream topic decoded, and the sample chat service answers op 4 with a room push', async () => {
    const seen: UpstreamMessage[] = [];
    const chat = new ChatSample(grpc, pino({ level: 'silent' }));
    const consumer = new UpstreamConsumer({ brokers: cluster.env.KAFKA_BROKERS.split(','), topic: cluster.env.KAFKA_UPSTREAM_TOPIC, groupId: `chat-${cluster.name}`, fromBeginning: true });
    try {
      await consumer.run(async (m) => {
        seen.push(m);
        await chat.handle(m);
      });
      const seq = client.send(Op.SendMsg, JSON.stringify({ from: 'kafka user', text: 'hello over kafka' }));
      assert.equal((await client.next((p) => p.seq === seq && (p.op === Op.SendMsgReply || p.op === Op.Error), 10_000)).op, Op.SendMsgReply);
      const pushed = await client.next((p) => p.op === CHAT_OP && bodyText(p).includes('hello over kafka'), 30_000);
      assert.deepEqual(bodyJson(pushed), { from: 'kafka user', mid: MID, text: 'hello over kafka' });
      const up = seen.find((m) => m.body.toString().includes('hello over kafka'));
      assert.ok(up, 'the consumer saw the record');
      assert.deepEqual([up.mid, up.key, up.roomId, up.operation, up.seq, up.server], [MID, key, 'live://sc', Op.SendMsg, seq, cluster.comets[0].id]);
      assert.ok(up.receivedAtMs > Date.now() - 60_000);
    } finally {
      await consumer.stop();
    }
  });

  it('runs the sample chat service as its own process on Kafka (chat-sample.main.js)', async () => {
    const env = {
      ...process.env,
      ...cluster.env,
      LOG_LEVEL: 'info',
      CHAT_SAMPLE_LOGIC_ADDR: `127.0.0.1:${cluster.logic.grpc}`,
      CHAT_SAMPLE_GROUP_ID: `chat-proc-${cluster.name}`,
      IMGATE_API_KEY: TEST_API_KEY,
    };
    const proc = spawn(process.execPath, [join(repoRoot(), 'dist/apps/embedded/src/chat-sample.main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await waitFor(() => output.includes('chat sample: consuming upstream'), 30_000, 'the chat sample to start');
      // The group joins on its own schedule: send until a line comes back through the room.
      let n = 0;
      await waitFor(async () => {
        const text = `from the process ${++n}`;
        client.send(Op.SendMsg, JSON.stringify({ from: 'p', text }));
        return client.next((p) => p.op === CHAT_OP && bodyText(p).includes('from the process'), 3_000).then(() => true, () => false);
      }, 30_000, `a chat line pushed back by the sample process\n${output}`);
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
  });
});
