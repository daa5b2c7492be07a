// The delivery stores (stream history, acks, idempotency keys, node leases) against the real Redis,
// and the same behavioural cases against the in-memory stores the embedded default uses.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createRedis, deleteKeys, type RedisClient, scanKeys } from '@imgate/store';
import { systemClock } from '@imgate/common';
import { testRedisUrl, waitFor } from '@imgate/testing';
import { type AckRepository, type AckSettings, DEFAULT_ACK_SETTINGS } from '../src/delivery/ack.repository';
import type { IdempotencyRepository } from '../src/delivery/idempotency.repository';
import { MemoryAckRepository } from '../src/delivery/memory-ack.repository';
import { MemoryIdempotencyRepository } from '../src/delivery/memory-idempotency.repository';
import { MemoryStreamRepository } from '../src/delivery/memory-stream.repository';
import { MemoryNodeLease, RedisNodeLease } from '../src/delivery/node-lease';
import { RedisAckRepository } from '../src/delivery/redis-ack.repository';
import { RedisIdempotencyRepository } from '../src/delivery/redis-idempotency.repository';
import { RedisStreamRepository } from '../src/delivery/redis-stream.repository';
import { streamKey } from '../src/delivery/stream-keys';
import { type AppendItem, DEFAULT_STREAM_SETTINGS, type StreamRead, type StreamRepository, type StreamSettings } from '../src/delivery/stream.repository';

const REDIS_URL = testRedisUrl();
const PREFIX = `t:delivery-store-${randomBytes(4).toString('hex')}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One store's repositories; `lose` makes the store forget a stream's history, as a Redis restart would. */
interface Stores {
  streams: StreamRepository;
  /** A second client of the same store (Redis: another connection). */
  other: StreamRepository;
  acks: AckRepository;
  idem: IdempotencyRepository;
  lose(stream: string): Promise<void>;
}

interface Backend {
  name: string;
  open(settings?: Partial<StreamSettings>, ack?: Partial<AckSettings>): Stores;
}

let redis: RedisClient;
let redis2: RedisClient;

const redisBackend: Backend = {
  name: 'Redis',
  open(over = {}, ackOver = {}) {
    const settings = { ...DEFAULT_STREAM_SETTINGS, ...over };
    return {
      streams: new RedisStreamRepository(redis, PREFIX, systemClock, settings),
      other: new RedisStreamRepository(redis2, PREFIX, systemClock, settings),
      acks: new RedisAckRepository(redis, PREFIX, systemClock, { ...DEFAULT_ACK_SETTINGS, ...ackOver }),
      idem: new RedisIdempotencyRepository(redis, PREFIX),
      lose: async (stream) => void (await redis.del(streamKey(PREFIX, stream, 'm'), streamKey(PREFIX, stream, 'x'))),
    };
  },
};

const memoryBackend: Backend = {
  name: 'memory',
  open(over = {}, ackOver = {}) {
    const settings = { ...DEFAULT_STREAM_SETTINGS, ...over };
    // The embedded default loses history by restarting: the test swaps in a fresh store.
    let current = new MemoryStreamRepository(systemClock, settings);
    const streams: StreamRepository = {
      append: (items) => current.append(items),
      read: (stream, position, limit) => current.read(stream, position, limit),
      heads: (names) => current.heads(names),
    };
    return {
      streams,
      other: streams,
      acks: new MemoryAckRepository(streams, systemClock, { ...DEFAULT_ACK_SETTINGS, ...ackOver }),
      idem: new MemoryIdempotencyRepository(systemClock),
      lose: async () => void (current = new MemoryStreamRepository(systemClock, settings)),
    };
  },
};

const user = () => `u:${randomInt(1, 2 ** 40)}`;
const room = () => `r:live://${randomBytes(3).toString('hex')}`;
const item = (stream: string, id: number, body: Uint8Array = new Uint8Array([id & 0xff])): AppendItem => ({ stream, id: BigInt(id), operation: 1000 + (id % 3), body });
const items = (stream: string, from: number, n: number) => Array.from({ length: n }, (_, i) => item(stream, from + i));
const offsets = (r: StreamRead) => r.messages.map((m) => Number(m.offset));

async function epochOf(repo: StreamRepository, stream: string): Promise<number> {
  return (await repo.heads([stream])).get(stream)?.epoch ?? 0;
}

function cases(backend: Backend): void {
  it('gives offsets 1..n in order, one epoch, and reads back ids, operations and binary bodies', async () => {
    const { streams } = backend.open();
    const s = user();
    const all = new Uint8Array(256).map((_, i) => i);
    const first = await streams.append([item(s, 1, all), ...items(s, 2, 4)]);
    const more = [await streams.append([item(s, 6)]), await streams.append([item(s, 7)])].flat();
    const appended = [...first, ...more];
    assert.deepEqual(appended.map((a) => Number(a.offset)), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(new Set(appended.map((a) => a.epoch)).size, 1);
    assert.ok(appended[0].epoch >= 1 && appended[0].epoch < 2 ** 32);
    const r = await streams.read(s, { epoch: appended[0].epoch, after: 0n }, 500);
    assert.equal(r.status, 'ok');
    assert.equal(r.head, 7n);
    assert.deepEqual(r.messages.map((m) => [m.stream, m.epoch, Number(m.offset), Number(m.id), m.operation]),
      appended.map((a, i) => [s, a.epoch, i + 1, i + 1, 1000 + ((i + 1) % 3)]));
    assert.deepEqual([...r.messages[0].body], [...all]);
  });

  it('several streams in one append: each numbered on its own, results in the order given', async () => {
    const { streams } = backend.open();
    const [a, b] = [user(), room()];
    const out = await streams.append([item(a, 1), item(b, 2), item(a, 3), item(b, 4), item(b, 5)]);
    assert.deepEqual(out.map((x) => [x.stream, Number(x.offset)]), [[a, 1], [b, 1], [a, 2], [b, 2], [b, 3]]);
    const heads = await streams.heads([a, b, 'u:424242424242']);
    assert.deepEqual([...heads].map(([k, v]) => [k, v.head]), [[a, 2n], [b, 3n], ['u:424242424242', 0n]]);
    assert.equal(heads.get('u:424242424242')?.epoch, 0);
  });

  it('concurrent appends from two clients to one stream get distinct consecutive offsets', async () => {
    const { streams, other } = backend.open();
    const s = room();
    const batches = Array.from({ length: 100 }, (_, i) => (i % 5 ? [item(s, i)] : [item(s, i), item(s, 1000 + i)]));
    const appended = await Promise.all(batches.map((batch, i) => (i % 2 ? other : streams).append(batch)));
    const got = appended.flat().map((a) => Number(a.offset)).sort((x, y) => x - y);
    assert.deepEqual(got, Array.from({ length: 120 }, (_, i) => i + 1));
    // Each offset holds the message it was handed out for, and a batch's offsets are consecutive.
    const r = await streams.read(s, { last: 500 }, 500);
    const idAt = new Map(r.messages.map((m) => [m.offset, m.id]));
    batches.forEach((batch, i) => batch.forEach((msg, j) => {
      assert.equal(idAt.get(appended[i][j].offset), msg.id);
      assert.equal(appended[i][j].offset, appended[i][0].offset + BigInt(j));
    }));
  });

  it('trims to the size bound: an old position is lost with the head to continue from', async () => {
    const { streams } = backend.open({ roomSize: 5 });
    const s = room();
    await streams.append(items(s, 1, 3));
    await streams.append(items(s, 4, 5));
    const epoch = await epochOf(streams, s);
    assert.deepEqual(await streams.read(s, { epoch, after: 2n }, 500), { status: 'lost', epoch, head: 8n, messages: [] });
    assert.deepEqual(await streams.read(s, { epoch, after: 0n }, 500), { status: 'lost', epoch, head: 8n, messages: [] });
    assert.deepEqual(offsets(await streams.read(s, { epoch, after: 3n }, 500)), [4, 5, 6, 7, 8]);
    assert.deepEqual(offsets(await streams.read(s, { last: 50 }, 500)), [4, 5, 6, 7, 8]);
  });

  it('ages entries out by their append time (age bound 1 s), then the history, keeping the epoch', async () => {
    const { streams } = backend.open({ roomTtlSec: 1 });
    const s = room();
    const [{ epoch }] = await streams.append([item(s, 1)]);
    await sleep(600);
    await streams.append([item(s, 2)]);
    await sleep(600); // entry 1 is 1.2 s old, entry 2 0.6 s: the history itself is still there
    assert.deepEqual(await streams.read(s, { epoch, after: 0n }, 500), { status: 'lost', epoch, head: 2n, messages: [] });
    assert.deepEqual(offsets(await streams.read(s, { epoch, after: 1n }, 500)), [2]);
    assert.deepEqual(offsets(await streams.read(s, { last: 5 }, 500)), [2]);
    await sleep(700); // 1.3 s after the last append: the history expired, the meta (2× bound) has not
    assert.deepEqual(await streams.read(s, { epoch, after: 1n }, 500), { status: 'lost', epoch, head: 2n, messages: [] });
    assert.deepEqual(await streams.read(s, { epoch, after: 2n }, 500), { status: 'ok', epoch, head: 2n, messages: [] });
    const [next] = await streams.append([item(s, 3)]);
    assert.deepEqual([next.epoch, next.offset], [epoch, 3n]);
  });

  it('the epoch holds while the meta exists and changes once the store lost the stream', async () => {
    const store = backend.open();
    const { streams } = store;
    const s = user();
    const [{ epoch }] = await streams.append(items(s, 1, 3));
    assert.equal((await streams.append([item(s, 4)]))[0].epoch, epoch);
    assert.deepEqual((await streams.heads([s])).get(s), { epoch, head: 4n });
    await store.lose(s);
    // Gone entirely: epoch 0, head 0; a position in the lost history is lost, position 0 is not.
    assert.deepEqual((await streams.heads([s])).get(s), { epoch: 0, head: 0n });
    assert.deepEqual(await streams.read(s, { epoch, after: 4n }, 500), { status: 'lost', epoch: 0, head: 0n, messages: [] });
    assert.deepEqual(await streams.read(s, { epoch: 0, after: 0n }, 500), { status: 'ok', epoch: 0, head: 0n, messages: [] });
    const [fresh] = await streams.append([item(s, 5)]);
    assert.equal(fresh.offset, 1n);
    assert.notEqual(fresh.epoch, epoch);
    assert.deepEqual(await streams.read(s, { epoch, after: 4n }, 500), { status: 'lost', epoch: fresh.epoch, head: 1n, messages: [] });
    assert.deepEqual(await streams.read(s, { epoch, after: 1n }, 500), { status: 'lost', epoch: fresh.epoch, head: 1n, messages: [] });
    assert.deepEqual(offsets(await streams.read(s, { epoch: 0, after: 0n }, 500)), [1]);
    assert.deepEqual(offsets(await streams.read(s, { epoch: fresh.epoch, after: 0n }, 500)), [1]);
  });

  it('a position past the head is lost; at the head it is ok and empty', async () => {
    const { streams } = backend.open();
    const s = user();
    const [{ epoch }] = await streams.append(items(s, 1, 2));
    assert.deepEqual(await streams.read(s, { epoch, after: 3n }, 500), { status: 'lost', epoch, head: 2n, messages: [] });
    assert.deepEqual(await streams.read(s, { epoch, after: 2n }, 500), { status: 'ok', epoch, head: 2n, messages: [] });
    assert.deepEqual(await streams.read(user(), { epoch: 5, after: 9n }, 500), { status: 'lost', epoch: 0, head: 0n, messages: [] });
  });

  it('last: N gives the latest N, oldest first, paging past the limit', async () => {
    const { streams } = backend.open();
    const s = room();
    const [{ epoch }] = await streams.append(items(s, 1, 10));
    assert.deepEqual(offsets(await streams.read(s, { last: 3 }, 500)), [8, 9, 10]);
    assert.deepEqual(await streams.read(s, { last: 0 }, 500), { status: 'ok', epoch, head: 10n, messages: [] });
    const paged = await streams.read(s, { last: 6 }, 4);
    assert.deepEqual([paged.status, paged.next, offsets(paged)], ['more', 9n, [5, 6, 7, 8]]);
    const rest = await streams.read(s, { epoch, after: (paged.next ?? 0n) - 1n }, 4);
    assert.deepEqual([rest.status, offsets(rest)], ['ok', [9, 10]]);
    assert.deepEqual(await streams.read(room(), { last: 5 }, 500), { status: 'ok', epoch: 0, head: 0n, messages: [] });
  });

  it('pages with `more` and `next` until `ok`', async () => {
    const { streams } = backend.open();
    const s = user();
    const [{ epoch }] = await streams.append(items(s, 1, 7));
    const seen: number[] = [];
    const statuses: string[] = [];
    let after = 0n;
    for (;;) {
      const r = await streams.read(s, { epoch, after }, 3);
      statuses.push(r.status);
      seen.push(...offsets(r));
      if (r.status !== 'more') break;
      assert.equal(r.next, r.messages[r.messages.length - 1].offset + 1n);
      after = (r.next ?? 0n) - 1n;
    }
    assert.deepEqual(statuses, ['more', 'more', 'ok']);
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
    // Exactly `limit` left: ok, not a needless extra round.
    assert.equal((await streams.read(s, { epoch, after: 4n }, 3)).status, 'ok');
  });

  it('acks: the max per device, clamped to the head; delivery numbers per device', async () => {
    const { streams, acks } = backend.open();
    const s = user();
    const mid = Number(s.slice(2));
    await streams.append(items(s, 1, 10));
    const ack = (device: string, offset: bigint) => ({ mid, device, stream: s, offset });
    await acks.ack([ack('phone', 4n), ack('web', 9n)]);
    await sleep(5);
    await acks.ack([ack('phone', 7n), ack('web', 2n)]);
    const d = await acks.delivery(mid);
    assert.deepEqual(d.map((x) => [x.device, x.acked, x.head, x.undelivered]), [['phone', 7n, 10n, 3n], ['web', 9n, 10n, 1n]]);
    assert.equal(d[0].lastAckMs, d[1].lastAckMs);
    assert.ok(Math.abs(d[0].lastAckMs - Date.now()) < 5_000);
    await sleep(5);
    await acks.ack([ack('web', 2n ** 63n)]);
    assert.deepEqual((await acks.delivery(mid)).find((x) => x.device === 'web')?.acked, 10n);
    await streams.append(items(s, 11, 5));
    assert.deepEqual((await acks.delivery(mid)).map((x) => [x.device, x.undelivered]), [['web', 5n], ['phone', 8n]]);
    assert.deepEqual(await acks.delivery(mid + 1), []);
    await assert.rejects(acks.ack([{ mid, device: 'x', stream: `u:${mid + 1}`, offset: 1n }]), RangeError);
  });

  it('acks: an ack from before the stream was lost counts as 0, and the max restarts', async () => {
    const store = backend.open();
    const { streams, acks } = store;
    const s = user();
    const mid = Number(s.slice(2));
    await streams.append(items(s, 1, 8));
    await acks.ack([{ mid, device: 'phone', stream: s, offset: 8n }]);
    await store.lose(s);
    await streams.append(items(s, 1, 3));
    assert.deepEqual((await acks.delivery(mid)).map((x) => [x.acked, x.head, x.undelivered]), [[0n, 3n, 3n]]);
    await acks.ack([{ mid, device: 'phone', stream: s, offset: 2n }]);
    assert.deepEqual((await acks.delivery(mid)).map((x) => [x.acked, x.head, x.undelivered]), [[2n, 3n, 1n]]);
  });

  it('acks: devices per user are bounded, the longest-silent one dropped', async () => {
    const { streams, acks } = backend.open({}, { maxDevices: 3 });
    const s = user();
    const mid = Number(s.slice(2));
    await streams.append(items(s, 1, 2));
    for (const device of ['a', 'b', 'c', 'd', 'b']) {
      await acks.ack([{ mid, device, stream: s, offset: 1n }]);
      await sleep(3);
    }
    assert.deepEqual((await acks.delivery(mid)).map((x) => x.device), ['b', 'd', 'c']);
  });

  it('idempotency: the first claim wins until the key expires', async () => {
    const { idem } = backend.open();
    const key = `push:${randomBytes(4).toString('hex')}:{a}b}`;
    assert.deepEqual(await idem.claim(key, '111', 1), { first: true });
    assert.deepEqual(await idem.claim(key, '222', 1), { first: false, value: '111' });
    assert.deepEqual(await idem.claim(`${key}x`, '333', 1), { first: true });
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => idem.claim(`${key}:race`, String(i), 5)));
    assert.equal(claims.filter((c) => c.first).length, 1);
    await sleep(1_100);
    assert.deepEqual(await idem.claim(key, '444', 1), { first: true });
  });

  it('idempotency: release gives a key up only while it still holds the releaser\'s value', async () => {
    const { idem } = backend.open();
    const key = `push:${randomBytes(4).toString('hex')}:{rel}`;
    assert.deepEqual(await idem.claim(key, '1', 30), { first: true });
    await idem.release(key, '2');
    assert.deepEqual(await idem.claim(key, '3', 30), { first: false, value: '1' });
    await idem.release(key, '1');
    assert.deepEqual(await idem.claim(key, '4', 30), { first: true });
  });
}

describe('delivery stores', () => {
  before(async () => {
    const silent = pino({ level: 'silent' });
    redis = createRedis(REDIS_URL, silent);
    redis2 = createRedis(REDIS_URL, silent);
    await redis.connect();
    await redis2.connect();
  });

  after(async () => {
    if (!redis) return;
    // On a Redis Cluster the keys sit on every master: scanKeys walks them all.
    await deleteKeys(redis, await scanKeys(redis, `${PREFIX}*`));
    const left = await scanKeys(redis, `${PREFIX}*`);
    redis.disconnect();
    redis2?.disconnect();
    assert.deepEqual(left, [], 'every key of this run is deleted');
  });

  for (const backend of [redisBackend, memoryBackend]) describe(backend.name, () => cases(backend));

  describe('Redis layout', () => {
    it('keeps a stream in `{prefix}{s:<stream>}:m` and `:x` with the documented fields and expiries, braces escaped', async () => {
      const { streams } = redisBackend.open({ roomTtlSec: 100 });
      const s = `r:a}{b-${randomBytes(2).toString('hex')}`;
      await streams.append([item(s, 42)]);
      const meta = `${PREFIX}{s:${s.slice(0, 3)}%7D%7B${s.slice(5)}}:m`;
      const hist = meta.replace(/:m$/, ':x');
      assert.equal(meta, streamKey(PREFIX, s, 'm'));
      const fields = await redis.hgetall(meta);
      assert.deepEqual(Object.keys(fields).sort(), ['epoch', 't', 'top']);
      assert.equal(fields.top, '1');
      const entries = await redis.xrange(hist, '-', '+');
      assert.equal(entries[0][0], '1-1');
      assert.deepEqual(entries[0][1].filter((_, i) => i % 2 === 0), ['i', 'o', 'b', 't']);
      assert.equal(entries[0][1][1], '42');
      const [pm, px] = [await redis.pttl(meta), await redis.pttl(hist)];
      assert.ok(px > 99_000 && px <= 100_000, `history ttl ${px}`);
      assert.ok(pm > 199_000 && pm <= 200_000, `meta ttl ${pm}`);
    });
  });

  describe('node lease (Redis)', () => {
    const stops: Array<() => Promise<void>> = [];
    after(async () => {
      for (const stop of stops) await stop();
    });
    const lease = (onChange: (id: number, previous: number) => void = () => {}, opts: { ttlMs?: number; renewMs?: number } = {}) => {
      const l = new RedisNodeLease(redis, PREFIX, onChange, opts);
      stops.push(() => l.stop());
      return l;
    };

    it('two leasers get different ids in 0..1023; stop releases only its own lease', async () => {
      const [a, b] = [lease(), lease()];
      const [ia, ib] = [await a.start(), await b.start()];
      assert.notEqual(ia, ib);
      for (const id of [ia, ib]) assert.ok(Number.isInteger(id) && id >= 0 && id < 1024);
      assert.ok(a.held() && b.held());
      const pttl = await redis.pttl(`${PREFIX}node:{${ia}}`);
      assert.ok(pttl > 29_000 && pttl <= 30_000, `lease ttl ${pttl}`);
      await a.stop();
      assert.equal(await redis.exists(`${PREFIX}node:{${ia}}`), 0);
      assert.deepEqual([a.id, a.held()], [-1, false]);
      await redis.set(`${PREFIX}node:{${ib}}`, 'someone-else');
      await b.stop();
      assert.equal(await redis.get(`${PREFIX}node:{${ib}}`), 'someone-else');
    });

    it('renewal extends the lease and detects a stolen one: another id, reported', async () => {
      const changes: Array<[number, number]> = [];
      const l = lease((id, previous) => changes.push([id, previous]), { ttlMs: 5_000, renewMs: 60_000 });
      const first = await l.start();
      await sleep(50);
      await l.renew();
      assert.ok((await redis.pttl(`${PREFIX}node:{${first}}`)) > 4_900);
      assert.equal(changes.length, 0);
      await redis.set(`${PREFIX}node:{${first}}`, 'thief', 'PX', 30_000);
      await l.renew();
      assert.equal(changes.length, 1);
      const [now, previous] = changes[0];
      assert.equal(previous, first);
      assert.notEqual(now, first);
      assert.equal(l.id, now);
      assert.ok(l.held());
      assert.equal(await redis.get(`${PREFIX}node:{${first}}`), 'thief');
      assert.equal((await redis.pttl(`${PREFIX}node:{${now}}`)) > 4_000, true);
    });

    it('a lease that expired and was taken is detected by the renewal timer', async () => {
      const changes: Array<[number, number]> = [];
      const l = lease((id, previous) => changes.push([id, previous]), { ttlMs: 300, renewMs: 500 });
      const first = await l.start();
      await sleep(350); // the timer has not run yet: the lease lapsed
      assert.equal(l.held(), false);
      assert.equal(await redis.set(`${PREFIX}node:{${first}}`, 'newcomer', 'PX', 30_000, 'NX'), 'OK');
      await waitFor(() => changes.length > 0, 3_000, 'the renewal to notice');
      assert.equal(changes[0][1], first);
      assert.notEqual(changes[0][0], first);
      assert.ok(l.held());
    });

    it('the in-memory lease is node 0', async () => {
      const l = new MemoryNodeLease();
      assert.equal(await l.start(), 0);
      await l.stop();
    });
  });
});
