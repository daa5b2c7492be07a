import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetricsRegistry, Env, GrpcStatus, type RpcError } from '@imgate/common';
import { decodePushMsg, type PushMsg__Output } from '@imgate/contracts';
import { MemoryQueue, type QueueProducer, QueueUnavailableError } from '@imgate/queue';
import { memoryResume } from '../connections/resume.fixture';
import { MemoryIdempotencyRepository } from '../delivery/memory-idempotency.repository';
import { MemoryStreamRepository } from '../delivery/memory-stream.repository';
import { MessageIds } from '../delivery/message-ids';
import { MemoryNodeLease } from '../delivery/node-lease';
import { parseSnowflake } from '../delivery/snowflake';
import type { StreamRepository } from '../delivery/stream.repository';
import { loadLogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { MemorySessionRepository } from '../session/memory-session.repository';
import { PushService } from './push.service';

const NOW = Date.UTC(2026, 5, 1);

async function setup(over: { streams?: StreamRepository; env?: Record<string, string>; queueDown?: () => boolean } = {}) {
  const clock = { now: () => NOW };
  const config = loadLogicConfig(new Env({ LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none', ...over.env }));
  const sessions = new MemorySessionRepository(clock);
  const queue = new MemoryQueue();
  const streams = new MemoryStreamRepository(clock);
  const idempotency = new MemoryIdempotencyRepository(clock);
  const lease = new MemoryNodeLease();
  await lease.start();
  const { resume, records: connections } = memoryResume(config, clock);
  // A queue that refuses writes while `queueDown()` says so (Kafka away after the append).
  const producer: QueueProducer = {
    start: () => queue.start(),
    stop: () => queue.stop(),
    send: (topic, recs) => (over.queueDown?.() ? Promise.reject(new QueueUnavailableError('kafka unavailable: test')) : queue.send(topic, recs)),
  };
  const push = new PushService(sessions, producer, over.streams ?? streams, idempotency, new MessageIds(lease, clock), config, clock, new LogicMetrics(createMetricsRegistry()), resume);
  const records = (): PushMsg__Output[] => queue.topic(config.infra.pushTopic).records.map((r) => decodePushMsg(r.value));
  return { push, sessions, streams, records, connections };
}

const body = Buffer.from('hi');

describe('PushService', () => {
  it('gives every push a distinct snowflake id and puts it on the queue record', async () => {
    const { push, sessions, records } = await setup();
    await sessions.add(1, 'k1', 'comet-a', 60);
    const results = [
      await push.pushKeys(['k1'], 1000, body),
      await push.pushMids([1], 1000, body),
      await push.pushRoom('live://1', 1000, body),
      await push.pushAll(1000, 0, body),
    ];
    const ids = results.map((r) => r.id);
    assert.equal(new Set(ids).size, 4);
    for (const id of ids) assert.equal(parseSnowflake(BigInt(id)).time, NOW);
    assert.deepEqual(records().map((r) => r.id), ids);
    assert.equal(results[0].duplicate, undefined);
  });

  it('answers a repeated idempotency key with the first id and pushes nothing again', async () => {
    const { push, sessions, streams, records } = await setup();
    await sessions.add(7, 'k7', 'comet-a', 60);
    const first = await push.pushMids([7], 1000, body, 'order-42');
    const again = await push.pushMids([7], 1000, Buffer.from('other'), 'order-42');
    assert.deepEqual(again, { records: 0, offline: [], id: first.id, duplicate: true });
    assert.equal(records().length, 1);
    assert.equal((await streams.heads(['u:7'])).get('u:7')?.head, 1n);
    // Keys are per push, not per kind: another key pushes.
    assert.notEqual((await push.pushRoom('live://1', 1000, body, 'order-43')).id, first.id);
  });

  it('refuses a malformed idempotency key with a reason', async () => {
    const { push } = await setup();
    for (const key of ['x'.repeat(129), 'has space', 'ü']) {
      await assert.rejects(push.pushAll(1000, 0, body, key), (err: RpcError) => err.code === GrpcStatus.INVALID_ARGUMENT && /idempotency key/.test(err.message));
    }
  });

  it('appends a push by mid to every mid\'s stream, offline ones too, and carries positions parallel to keys', async () => {
    const { push, sessions, streams, records } = await setup();
    await sessions.add(1, 'a1', 'comet-a', 60);
    await sessions.add(1, 'a2', 'comet-b', 60);
    await sessions.add(2, 'b1', 'comet-a', 60);
    await push.pushMids([2], 1000, body); // u:2 is at 1 before
    const result = await push.pushMids([1, 2, 3, 2], 1000, body);
    assert.deepEqual(result.offline, ['3']);
    assert.equal(result.records, 2);
    const heads = await streams.heads(['u:1', 'u:2', 'u:3']);
    assert.deepEqual([...heads.values()].map((h) => h.head), [1n, 2n, 1n], 'offline mid 3 got its message, mid 2 once');
    const read = await streams.read('u:3', { epoch: 0, after: 0n }, 10);
    assert.equal(read.messages[0].id.toString(), result.id);
    const byServer = new Map(records().slice(1).map((r) => [r.server, r]));
    const a = byServer.get('comet-a');
    const b = byServer.get('comet-b');
    assert.ok(a && b);
    assert.equal(a.id, result.id);
    assert.deepEqual(a.keys.map((k, i) => [k, a.positions[i].stream, a.positions[i].offset]).sort(), [['a1', 'u:1', 1], ['b1', 'u:2', 2]]);
    assert.deepEqual(b.keys, ['a2']);
    assert.deepEqual(b.positions, [{ stream: 'u:1', epoch: heads.get('u:1')?.epoch, offset: 1 }]);
  });

  it('puts a room push in the room\'s stream and its one position on the record; keys and all carry only the id', async () => {
    const { push, sessions, records } = await setup();
    await sessions.add(1, 'k1', 'comet-a', 60);
    await push.pushRoom('live://9', 1000, body);
    const room = await push.pushRoom('live://9', 1000, body);
    await push.pushKeys(['k1'], 1000, body);
    await push.pushAll(1000, 0, body);
    const [, r, k, all] = records();
    assert.equal(r.id, room.id);
    assert.equal(r.positions.length, 1);
    assert.equal(r.positions[0].stream, 'r:live://9');
    assert.equal(r.positions[0].offset, 2);
    assert.ok(r.positions[0].epoch > 0);
    assert.deepEqual([k.positions, all.positions], [[], []]);
    assert.match(k.id, /^\d+$/);
  });

  it('with LOGIC_STREAMS=off keeps no history: ids still, records without positions', async () => {
    const { push, sessions, streams, records } = await setup({ env: { LOGIC_STREAMS: 'off' } });
    await sessions.add(1, 'k1', 'comet-a', 60);
    const results = [await push.pushMids([1, 2], 1000, body), await push.pushRoom('live://9', 1000, body)];
    for (const r of results) assert.match(r.id, /^\d+$/);
    assert.deepEqual(results[0].offline, ['2']);
    assert.deepEqual(records().map((r) => [r.id, r.keys, r.positions]), [
      [results[0].id, ['k1'], []],
      [results[1].id, [], []],
    ]);
    const heads = await streams.heads(['u:1', 'u:2', 'r:live://9']);
    assert.deepEqual([...heads.values()].map((h) => h.head), [0n, 0n, 0n]);
  });

  it('answers 503 (UNAVAILABLE) when the history store fails, writes no record, and frees the idempotency key', async () => {
    const good = new MemoryStreamRepository({ now: () => NOW });
    let failing = true;
    const flaky: StreamRepository = {
      append: (items) => (failing ? Promise.reject(new Error('redis down')) : good.append(items)),
      read: (...a) => good.read(...a),
      heads: (s) => good.heads(s),
    };
    const { push, records } = await setup({ streams: flaky });
    await assert.rejects(push.pushRoom('live://1', 1000, body, 'k'), (err: RpcError) => err.code === GrpcStatus.UNAVAILABLE && /history/.test(err.message));
    assert.equal(records().length, 0);
    failing = false;
    const retry = await push.pushRoom('live://1', 1000, body, 'k');
    assert.equal(retry.duplicate, undefined);
    assert.equal(records().length, 1);
  });

  it('completes a push refused 503 after its append when it is retried under its key: same id and offsets, queued once, nothing appended again', async () => {
    let down = true;
    const { push, sessions, streams, records } = await setup({ queueDown: () => down });
    await sessions.add(7, 'k7', 'comet-a', 60);
    await sessions.add(8, 'k8', 'comet-b', 60);
    await assert.rejects(push.pushMids([7, 8, 9], 1000, body, 'order-1'), (err: RpcError) => err.code === GrpcStatus.UNAVAILABLE && /push queue/.test(err.message));
    await assert.rejects(push.pushRoom('live://5', 1000, body, 'room-1'), (err: RpcError) => err.code === GrpcStatus.UNAVAILABLE);
    assert.equal(records().length, 0);
    const heads = async () => [...(await streams.heads(['u:7', 'u:8', 'u:9', 'r:live://5'])).values()].map((h) => h.head);
    assert.deepEqual(await heads(), [1n, 1n, 1n, 1n], 'the messages are in history');
    // Still down: the retry is refused again, and the key still completes later.
    await assert.rejects(push.pushMids([7, 8, 9], 1000, body, 'order-1'), (err: RpcError) => err.code === GrpcStatus.UNAVAILABLE);
    down = false;
    const done = await push.pushMids([7, 8, 9], 1000, body, 'order-1');
    const room = await push.pushRoom('live://5', 1000, body, 'room-1');
    assert.equal(done.duplicate, undefined);
    assert.equal(done.records, 2);
    assert.deepEqual(done.offline, ['9']);
    assert.deepEqual(await heads(), [1n, 1n, 1n, 1n], 'nothing appended twice');
    const written = records();
    assert.equal(written.length, 3);
    assert.ok(written.every((r) => r.id === (r.type === 'ROOM' ? room.id : done.id)));
    assert.deepEqual(
      written.flatMap((r) => (r.positions ?? []).map((p) => `${p.stream}@${p.offset}`)).sort(),
      ['r:live://5@1', 'u:7@1', 'u:8@1'],
    );
    // Queued now: a further repeat pushes nothing.
    const again = await push.pushMids([7, 8, 9], 1000, body, 'order-1');
    assert.deepEqual(again, { records: 0, offline: [], id: done.id, duplicate: true });
    assert.equal(records().length, 3);
  });

  it('refuses to complete a stored push with a retry that names other receivers', async () => {
    let down = true;
    const { push, sessions } = await setup({ queueDown: () => down });
    await sessions.add(7, 'k7', 'comet-a', 60);
    await assert.rejects(push.pushMids([7], 1000, body, 'order-2'));
    down = false;
    await assert.rejects(push.pushMids([7, 8], 1000, body, 'order-2'), (err: RpcError) => err.code === GrpcStatus.INVALID_ARGUMENT && /u:8/.test(err.message));
  });
});
