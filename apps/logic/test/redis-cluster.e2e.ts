// Every role on a real Redis Cluster (3 masters + 3 replicas from scripts/redis-cluster.sh, started
// here if it is not running, and left running): the client path end to end, then a master failing
// over while pushes flow, counting what the clients lost and got twice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Op } from '@imgate/protocol';
import { createRedis, deleteKeys, type RedisClient, scanKeys } from '@imgate/store';
import {
  apiHeaders, bodyText, type Cluster, ensureRedisCluster, masterReplicaPairs, post, ProtoClient, redisCli, redisClusterPort, signHs256, startCluster, waitFor,
} from '@imgate/testing';

const REPORT_MS = 500;

describe('Redis Cluster: every role on a 3+3 cluster', () => {
  let cluster: Cluster;
  let redis: RedisClient;
  let url: string;
  let seed: number;
  before(async () => {
    url = ensureRedisCluster();
    seed = redisClusterPort();
    cluster = await startCluster({ name: 'redis-cluster', comets: 2, env: { REDIS_URL: url, COMET_ONLINE_REPORT_MS: String(REPORT_MS), LOGIC_ONLINE_REFRESH_MS: '200' } });
    redis = createRedis(url, pino({ level: 'silent' }));
    await redis.connect();
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  const connect = async (comet: number, mid: number, extra: object = {}) => {
    const c = comet === 0 ? await ProtoClient.ws(cluster.comets[0].wsUrl) : await ProtoClient.tcp(cluster.comets[1].tcp);
    const auth = await c.auth({ token: await signHs256({ mid }), accepts: [1000], ...extra });
    return { c, auth };
  };
  const push = async (path: string, body: string) => {
    const res = await post(`${cluster.logic.url}${path}`, body);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return res.json.data as { id: string };
  };
  const get = async (path: string) => (await fetch(`${cluster.logic.url}${path}`, { headers: apiHeaders() })).json();

  it("the store client's pipeline spans slots on every master, replies in the order queued; SCAN covers every master", async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `${cluster.env.REDIS_PREFIX}pipe:{${i}}`);
    const p = redis.pipeline();
    keys.forEach((k, i) => p.set(k, String(i)).incr(k));
    const replies = (await p.exec()) ?? [];
    assert.deepEqual(replies.filter((_, i) => i % 2 === 1), keys.map((_, i) => [null, i + 1]));
    assert.deepEqual((await scanKeys(redis, `${cluster.env.REDIS_PREFIX}pipe:*`)).sort(), [...keys].sort());
    assert.equal(await deleteKeys(redis, keys), keys.length);
  });

  it('auth, push by mid, key and room, reliable sync and ack, online counts; keys spread over the masters', async () => {
    const mids = [4101, 4102, 4103, 4104];
    const clients = await Promise.all(mids.map((mid, i) => connect(i % 2, mid, { room_id: 'live://cluster', delivery: true, device: `d${i}` })));

    await push(`/goim/push/mids?operation=1000&${mids.map((m) => `mids=${m}`).join('&')}`, 'by-mid');
    for (const { c } of clients) assert.equal(Buffer.from((await c.nextMessage((m) => m.operation === 1000)).payload).toString(), 'by-mid');

    await push(`/goim/push/keys?operation=1000&keys=${clients[1].auth.key}`, 'by-key');
    assert.equal(Buffer.from((await clients[1].c.nextMessage((m) => Buffer.from(m.payload).toString() === 'by-key')).payload).toString(), 'by-key');

    await push('/goim/push/room?operation=1000&type=live&room=cluster', 'by-room');
    for (const { c } of clients) await c.next((p) => (p.op === 1000 && bodyText(p) === 'by-room') || (p.op === Op.Message && Buffer.from(p.body).includes('by-room')));

    // Reliable delivery: a client that was away syncs what it missed, then acks it.
    const away = clients[2];
    const { epoch, head } = away.auth.delivery!.streams['u:4103']!;
    away.c.close();
    for (let i = 0; i < 3; i++) await push('/goim/push/mids?operation=1000&mids=4103', `missed-${i}`);
    const { c: back, auth } = await connect(0, 4103, { delivery: true, device: 'd2' });
    const { messages, reply } = await back.sync([{ stream: 'u:4103', epoch, offset: BigInt(head) }]);
    assert.equal(reply.streams[0]?.status, 'ok');
    assert.deepEqual(messages.map((m) => Buffer.from(m.payload).toString()), ['by-mid', 'missed-0', 'missed-1', 'missed-2']);
    assert.equal(auth.delivery!.streams['u:4103']!.head, String(BigInt(head) + 4n));
    await back.ack({ 'u:4103': messages.at(-1)!.offset });
    // Comets batch acks to logic; the report reads them back from the user's ack hash.
    const acked = async () => ((await get('/v1/users/4103/delivery')) as { devices: Array<{ device: string; acked: number }> }).devices.find((d) => d.device === 'd2')?.acked;
    await waitFor(async () => (await acked()) === Number(messages.at(-1)!.offset), 10_000, 'the ack to show in the delivery report');

    // Online counts: each comet's hash sits on its own slot; logic sums them.
    await waitFor(async () => ((await get('/goim/online/room?type=live&rooms=cluster')) as { data: { cluster: number } }).data.cluster === 3, REPORT_MS * 10, 'the room count to be 3');
    const total = (await get('/goim/online/total')) as { data: { conn_count: number; ip_count: number } };
    assert.equal(total.data.conn_count, 4);

    // The run's keys really are spread over the cluster, not on one node.
    const holding = masterReplicaPairs(seed).filter(({ master }) => Number(redisCli(master, 'EVAL', `return #redis.call('KEYS', ARGV[1])`, '0', `${cluster.env.REDIS_PREFIX}*`).trim()) > 0);
    assert.ok(holding.length >= 2, `keys on ${holding.length} masters`);
    for (const { c } of clients) c.close();
    back.close();
  });

  /** Pushes by mid to opted-in clients while `disrupt` runs; then counts lost (after each client syncs) and duplicates. */
  const underFlow = async (base: number, disrupt: () => Promise<void>) => {
    const mids = Array.from({ length: 6 }, (_, i) => base + i);
    const clients = await Promise.all(mids.map((mid, i) => connect(i % 2, mid, { delivery: true })));
    const accepted = new Map<string, number>();
    const refused: string[] = [];
    let running = true;
    const pusher = (async () => {
      let n = 0;
      while (running) {
        const mid = mids[n % mids.length];
        const res = await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=${mid}`, `f-${n++}`).catch((err: Error) => ({ status: 0, json: { error: err.message } as Record<string, unknown> }));
        if (res.status === 200) accepted.set((res.json.data as { id: string }).id, mid);
        else refused.push(`${res.status} ${JSON.stringify(res.json).slice(0, 120)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_500));
    const started = Date.now();
    try {
      await disrupt();
    } finally {
      await new Promise((r) => setTimeout(r, 1_500));
      running = false;
      await pusher;
    }
    const recovered = Date.now() - started;

    // Live deliveries, then what each client pulls from its stream (as the SDK does after a gap).
    const got = new Set<string>();
    let dup = 0;
    for (const [i, { c, auth }] of clients.entries()) {
      const seen = new Set<string>();
      for (const m of c.messages()) {
        if (seen.has(String(m.id))) dup++;
        seen.add(String(m.id));
      }
      const known = auth.delivery!.streams[`u:${mids[i]}`]!;
      let [epoch, position] = [known.epoch, BigInt(known.head)];
      for (;;) {
        const { messages, reply } = await c.sync([{ stream: `u:${mids[i]}`, epoch, offset: position }], 500);
        for (const m of messages) seen.add(String(m.id));
        if (messages.length) [epoch, position] = [messages.at(-1)!.epoch, messages.at(-1)!.offset];
        if (reply.streams[0]?.status !== 'more') break;
      }
      for (const id of seen) got.add(id);
      c.close();
    }
    const lost = [...accepted.keys()].filter((id) => !got.has(id));
    return { accepted: accepted.size, refused, lost, dup, recovered };
  };

  const newClientWorks = async (mid: number) => {
    const { c } = await connect(1, mid);
    await push(`/goim/push/mids?operation=1000&mids=${mid}`, 'after');
    assert.equal(bodyText(await c.op(1000, 10_000)), 'after');
    c.close();
  };

  it('every master fails over in turn (CLUSTER FAILOVER on its replica) while pushes flow: 0 lost with reliable delivery', async () => {
    const r = await underFlow(4201, async () => {
      const pairs = masterReplicaPairs(seed);
      assert.equal(pairs.length, 3, JSON.stringify(pairs));
      // Every master in turn: each user's stream, session and ack keys live on one of them.
      for (const { replica } of pairs) {
        assert.equal(redisCli(replica, 'CLUSTER', 'FAILOVER').trim(), 'OK');
        await waitFor(() => redisCli(replica, 'ROLE').startsWith('master'), 15_000, `replica ${replica} to take over`);
      }
    });
    console.log(`redis cluster, 3 planned failovers: accepted ${r.accepted}, refused ${r.refused.length}, lost ${r.lost.length}, duplicates ${r.dup}, ${r.recovered} ms${r.refused.length ? `; refusals: ${r.refused.slice(0, 3).join(' | ')}` : ''}`);
    assert.ok(r.accepted > 20, `${r.accepted} pushes accepted`);
    assert.equal(r.lost.length, 0, `lost: ${r.lost.slice(0, 10).join(', ')}`);
    await newClientWorks(4301);
  });

  it('a master is SIGKILLed while pushes flow: its replica takes over, nothing accepted is lost, the node rejoins', async () => {
    const r = await underFlow(4401, async () => {
      const [{ master, replica }] = masterReplicaPairs(seed);
      const pid = Number(/process_id:(\d+)/.exec(redisCli(master, 'INFO', 'server'))?.[1]);
      assert.ok(pid > 0);
      process.kill(pid, 'SIGKILL');
      // cluster-node-timeout (2 s) to mark it failed, then the replica's election.
      await waitFor(() => redisCli(replica, 'ROLE').startsWith('master'), 20_000, `replica ${replica} to be elected`);
    });
    console.log(`redis cluster, master SIGKILLed: accepted ${r.accepted}, refused ${r.refused.length}, lost ${r.lost.length}, duplicates ${r.dup}, replica took over and pushes flowed again within ${r.recovered} ms${r.refused.length ? `; refusals: ${r.refused.slice(0, 3).join(' | ')}` : ''}`);
    ensureRedisCluster(); // the killed node comes back and rejoins as a replica
    assert.ok(r.accepted > 20, `${r.accepted} pushes accepted`);
    assert.equal(r.lost.length, 0, `lost: ${r.lost.slice(0, 10).join(', ')}`);
    await newClientWorks(4501);
  });
});
