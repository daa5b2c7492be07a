// Reliable delivery (docs/delivery.md) through the real path: logic, a comet and job as separate
// processes on the real Redis and Kafka, clients speaking the wire protocol by hand.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeStreamMessage, encodeAck, encodeSync, Op, type Packet, parseSyncReply, type StreamMessage, type SyncPosition, type SyncReply } from '@imgate/protocol';
import { apiHeaders, bodyText, type Cluster, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

interface DeliveryAuth {
  mid: number;
  key: string;
  delivery?: { device: string; streams: Record<string, { epoch: number; head: string }> };
}

const USER_HISTORY = 8;

async function push(cluster: Cluster, path: string, body: string, headers: Record<string, string> = {}): Promise<{ id: string; duplicate?: boolean }> {
  const res = await fetch(`${cluster.logic.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...apiHeaders(), ...headers }, body });
  const json = (await res.json()) as { code: number; data: { id: string; duplicate?: boolean } };
  assert.equal(res.status, 200, JSON.stringify(json));
  assert.equal(json.code, 0);
  assert.match(json.data.id, /^[1-9][0-9]{15,19}$/, 'a snowflake id as a decimal string');
  return json.data;
}

const messages = (c: ProtoClient, from = 0): StreamMessage[] => c.received.slice(from).filter((p) => p.op === Op.Message).map((p) => decodeStreamMessage(p.body));

/** Sends op 28 and waits for its op 29; returns the reply and the op-27 messages written before it. */
async function sync(c: ProtoClient, streams: SyncPosition[], limit?: number): Promise<{ reply: SyncReply; got: StreamMessage[] }> {
  const from = c.received.length;
  const seq = c.send(Op.Sync, encodeSync({ streams, limit }));
  const p: Packet = await c.next((q) => q.op === Op.SyncReply && q.seq === seq, 10_000, from);
  const at = c.received.indexOf(p);
  return { reply: parseSyncReply(p.body), got: c.received.slice(from, at).filter((q) => q.op === Op.Message).map((q) => decodeStreamMessage(q.body)) };
}

describe('reliable delivery: ids, streams, recovery, acks', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ name: 'delivery', env: { LOGIC_USER_HISTORY_SIZE: String(USER_HISTORY), COMET_ACK_FLUSH_MS: '200' } });
  });
  after(async () => cluster?.stop());

  const connect = async (mid: number, extra: object = {}): Promise<{ c: ProtoClient; auth: DeliveryAuth }> => {
    const c = await ProtoClient.ws(cluster.comets[0]!.wsUrl);
    const auth = (await c.auth({ token: await signHs256({ mid }), accepts: [1000, 1001], ...extra })) as unknown as DeliveryAuth;
    return { c, auth };
  };

  it('gives an opted-in client ids and offsets (op 27) and a goim client the plain packet, from the same push', async () => {
    const { c: opted, auth } = await connect(3001, { delivery: true, device: 'phone' });
    const { c: plain, auth: plainAuth } = await connect(3001);
    assert.equal(auth.delivery?.device, 'phone');
    const head = BigInt(auth.delivery!.streams['u:3001']!.head);
    assert.equal(plainAuth.delivery, undefined, 'a client that did not ask sees no delivery block');

    const { id } = await push(cluster, '/goim/push/mids?operation=1000&mids=3001', 'hello');
    const m = decodeStreamMessage((await opted.op(Op.Message)).body);
    assert.deepEqual({ stream: m.stream, offset: m.offset, id: m.id, op: m.operation, body: Buffer.from(m.payload).toString() }, { stream: 'u:3001', offset: head + 1n, id: BigInt(id), op: 1000, body: 'hello' });
    // Epoch 0 means the stream did not exist yet at auth: its first message gives it one.
    const known = auth.delivery!.streams['u:3001']!.epoch;
    assert.ok(m.epoch !== 0 && (known === 0 || m.epoch === known), `epoch ${m.epoch} after ${known}`);
    assert.equal(bodyText(await plain.op(1000)), 'hello');
    assert.equal(plain.received.filter((p) => p.op === Op.Message).length, 0, 'no op 27 for a goim client');
    opted.close();
    plain.close();
  });

  it('recovers what a client missed while offline for 30 s, in order, then live messages without a duplicate at the seam', async () => {
    const mid = 3002;
    const { c: first, auth } = await connect(mid, { delivery: true });
    const { epoch, head } = auth.delivery!.streams[`u:${mid}`]!;
    first.close();

    // Six pushes spread over 30 s while the user has no connection at all.
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push((await push(cluster, `/goim/push/mids?operation=1001&mids=${mid}`, `offline-${i}`)).id);
      await new Promise((r) => setTimeout(r, 5_000));
    }

    const { c: again, auth: back } = await connect(mid, { delivery: true });
    assert.equal(back.delivery!.streams[`u:${mid}`]!.head, String(BigInt(head) + 6n));
    // A message published while the sync runs arrives live too; the client drops it by (stream, offset).
    const racing = push(cluster, `/goim/push/mids?operation=1001&mids=${mid}`, 'during-sync');
    const { reply, got } = await sync(again, [{ stream: `u:${mid}`, epoch, offset: BigInt(head) }]);
    await racing;
    const status = reply.streams[0]!;
    assert.equal(status.status, 'ok');
    // The sync's messages come in stream order (the racing one may come live before them or with them).
    const recovered = got.filter((m) => Buffer.from(m.payload).toString().startsWith('offline-'));
    assert.deepEqual(recovered.map((m) => Buffer.from(m.payload).toString()), ids.map((_, i) => `offline-${i}`));
    assert.deepEqual(recovered.map((m) => m.id), ids.map(BigInt));
    assert.deepEqual(recovered.map((m) => m.offset), ids.map((_, i) => BigInt(head) + 1n + BigInt(i)), 'consecutive offsets');

    // Everything the client got (sync + live), deduplicated by (stream, offset) as the SDK does: each exactly once.
    await again.next((p) => p.op === Op.Message && Buffer.from(decodeStreamMessage(p.body).payload).toString() === 'during-sync');
    const held = new Map<bigint, string>();
    for (const m of messages(again)) held.set(m.offset, Buffer.from(m.payload).toString());
    assert.deepEqual([...held.keys()].sort((a, b) => Number(a - b)), Array.from({ length: 7 }, (_, i) => BigInt(head) + 1n + BigInt(i)));
    assert.equal(held.get(BigInt(head) + 7n), 'during-sync');
    again.close();
  });

  it('says "lost" when the position is older than the history (size bound), with the head to go on from', async () => {
    const mid = 3003;
    const { c: first } = await connect(mid, { delivery: true });
    await push(cluster, `/goim/push/mids?operation=1000&mids=${mid}`, 'seen');
    const held = decodeStreamMessage((await first.op(Op.Message)).body);
    first.close();
    for (let i = 0; i < USER_HISTORY + 3; i++) await push(cluster, `/goim/push/mids?operation=1000&mids=${mid}`, `m${i}`);
    const { c, auth: now } = await connect(mid, { delivery: true });
    const current = now.delivery!.streams[`u:${mid}`]!;
    assert.equal(current.head, String(held.offset + BigInt(USER_HISTORY + 3)));
    assert.equal(current.epoch, held.epoch);
    const { reply, got } = await sync(c, [{ stream: `u:${mid}`, epoch: held.epoch, offset: held.offset }]);
    assert.deepEqual(reply.streams[0], { stream: `u:${mid}`, status: 'lost', epoch: held.epoch, head: BigInt(current.head) });
    assert.equal(got.length, 0);
    // The latest N are still there for a client that reloads.
    const last = await sync(c, [{ stream: `u:${mid}`, last: 3 }]);
    assert.deepEqual(last.got.map((m) => Buffer.from(m.payload).toString()), [`m${USER_HISTORY}`, `m${USER_HISTORY + 1}`, `m${USER_HISTORY + 2}`]);
    c.close();
  });

  it('gives every member of a room the same offsets, and refuses to sync a room the client is not in', async () => {
    const room = `live://delivery-${Date.now()}`;
    const a = await connect(3004, { delivery: true, room_id: room });
    const b = await connect(3005, { delivery: true, room_id: room });
    const outsider = await connect(3006, { delivery: true });
    for (let i = 0; i < 3; i++) await push(cluster, `/goim/push/room?operation=1000&type=live&room=${encodeURIComponent(room.slice('live://'.length))}`, `r${i}`);
    await waitFor(() => messages(a.c).length >= 3 && messages(b.c).length >= 3, 10_000, 'room messages');
    const pos = (c: ProtoClient) => messages(c).map((m) => [m.stream, m.offset, m.id]);
    assert.deepEqual(pos(a.c), pos(b.c));
    assert.deepEqual(messages(a.c).map((m) => m.stream), [`r:${room}`, `r:${room}`, `r:${room}`]);
    const denied = await sync(outsider.c, [{ stream: `r:${room}`, last: 3 }, { stream: 'u:3004', last: 1 }]);
    assert.deepEqual(denied.reply.streams.map((s) => s.status), ['denied', 'denied']);
    assert.equal(denied.got.length, 0);
    for (const x of [a, b, outsider]) x.c.close();
  });

  it('reports what a device acked and what it has not got yet; an idempotency key pushes once', async () => {
    const mid = 3007;
    const { c, auth } = await connect(mid, { delivery: true, device: 'tablet' });
    const head = BigInt(auth.delivery!.streams[`u:${mid}`]!.head);
    const first = await push(cluster, `/goim/push/mids?operation=1000&mids=${mid}`, 'once', { 'Idempotency-Key': `order-${mid}` });
    const second = await push(cluster, `/goim/push/mids?operation=1000&mids=${mid}`, 'once', { 'Idempotency-Key': `order-${mid}` });
    assert.equal(second.id, first.id);
    assert.equal(second.duplicate, true);
    for (let i = 0; i < 3; i++) await push(cluster, `/goim/push/mids?operation=1000&mids=${mid}`, `n${i}`);
    await waitFor(() => messages(c).length >= 4, 10_000, '4 messages');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(messages(c).length, 4, 'the duplicate push was not delivered');
    // The device read half (2 of 4) and went away.
    c.send(Op.Ack, encodeAck(new Map([[`u:${mid}`, head + 2n]])));
    c.close();
    let body: { stream: string; head: number; devices: Array<{ device: string; acked: number; undelivered: number }> } | undefined;
    await waitFor(async () => {
      body = (await fetch(`${cluster.logic.url}/v1/users/${mid}/delivery`, { headers: apiHeaders() }).then((r) => r.json())) as typeof body;
      return body?.devices.some((d) => d.device === 'tablet') ?? false;
    }, 5_000, 'the ack to reach logic');
    assert.equal(body!.stream, `u:${mid}`);
    assert.equal(body!.head, Number(head) + 4);
    const tablet = body!.devices.find((d) => d.device === 'tablet')!;
    assert.deepEqual({ acked: tablet.acked, undelivered: tablet.undelivered }, { acked: Number(head) + 2, undelivered: 2 });
    const bad = await fetch(`${cluster.logic.url}/v1/users/abc/delivery`, { headers: apiHeaders() });
    assert.equal(bad.status, 400);
  });
});
