import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSendWithId, Op, parseSync } from '@imgate/protocol';
import { ImgateClient } from './client.js';
import type { ImgateMessage, RecoveryFailedEvent } from './events.js';
import type { ImgateClientOptions } from './options.js';
import { MemoryPositionStore } from './streams/position-store.js';
import { MiniCometNetwork } from './testing/mini-comet-network.js';
import { FakeTime } from './testing/fake-time.js';

/** A delivery client on fake time, dialing mini comets that share one set of streams. */
function setup(opts: ImgateClientOptions = {}, net = new MiniCometNetwork(), time = new FakeTime()) {
  const client = new ImgateClient({
    nodes: ['ws://a/sub'],
    mid: 7,
    room: 'live://1',
    accepts: [1000],
    clock: time,
    timers: time,
    random: () => 0.5,
    watchNetwork: false,
    delivery: { ackIntervalMs: 1_000, gapWaitMs: 300 },
    ...opts,
    transports: { ws: net.factory },
  });
  const messages: ImgateMessage[] = [];
  const failures: RecoveryFailedEvent[] = [];
  client.on('message', (m) => messages.push(m));
  client.on('recoveryFailed', (e) => failures.push(e));
  const texts = () => messages.map((m) => m.text());
  const sent = (op: number) => net.links.flatMap((l) => l.comet.received.filter((p) => p.op === op));
  return { time, net, streams: net.streams, client, messages, failures, texts, sent };
}

type Setup = ReturnType<typeof setup>;

async function online(s: Setup) {
  const started = s.client.connect();
  await s.time.advance(0);
  await started;
  return s.net.last().comet;
}

/** The network drops the link; time runs until the client is back on a new one. */
async function reconnect(s: Setup) {
  const links = s.net.links.length;
  s.net.last().drop();
  while (s.net.links.length === links || s.client.state !== 'open') await s.time.advance(500);
  return s.net.last().comet;
}

describe('ImgateClient with reliable delivery', () => {
  it('hands over stream messages in offset order with id, stream and offset, and pulls a gap that stays open', async () => {
    const s = setup();
    const comet = await online(s);
    const [m1, m2, m3, m4, m5] = ['a', 'b', 'c', 'd', 'e'].map((t) => s.streams.append('u:7', 1000, t));
    for (const m of [m1, m3, m2]) comet.pushMessage(m);
    await s.time.advance(0);
    assert.deepEqual(s.texts(), ['a', 'b', 'c']);
    assert.deepEqual(
      s.messages.map((m) => [m.op, m.stream, m.offset, m.id]),
      [m1, m2, m3].map((m) => [1000, 'u:7', m.offset.toString(), m.id.toString()]),
    );
    comet.pushMessage(m5); // 4 never comes live
    await s.time.advance(299);
    assert.deepEqual(s.texts(), ['a', 'b', 'c'], 'held while the gap may still fill');
    assert.equal(s.sent(Op.Sync).length, 0);
    await s.time.advance(1);
    assert.deepEqual(parseSync(s.sent(Op.Sync)[0].body).streams, [{ stream: 'u:7', epoch: 1, offset: 3n }]);
    assert.deepEqual(s.texts(), ['a', 'b', 'c', 'd', 'e'], 'the sync brings 4; its copy of 5 is dropped');
    assert.equal(s.messages[3].id, m4.id.toString());
  });

  it('hides stream messages of operations the app does not accept, and moves past them (no gap pull)', async () => {
    const s = setup();
    const comet = await online(s);
    const msgs = [s.streams.append('u:7', 1000, 'a'), s.streams.append('u:7', 1001, 'not accepted'), s.streams.append('u:7', 1000, 'c')];
    for (const m of msgs) comet.pushMessage(m);
    await s.time.advance(1_000);
    assert.deepEqual(s.texts(), ['a', 'c']);
    assert.equal(s.sent(Op.Sync).length, 0, 'offset 2 arrived, so there was no gap to pull');
  });

  it('recover() pulls a last message that never came live', async () => {
    const s = setup();
    const comet = await online(s);
    comet.pushMessage(s.streams.append('u:7', 1000, 'a'));
    s.streams.append('u:7', 1000, 'lost on the way');
    await s.time.advance(5_000);
    assert.deepEqual(s.texts(), ['a'], 'nothing tells the client about the second one');
    s.client.recover();
    await s.time.advance(0);
    assert.deepEqual(s.texts(), ['a', 'lost on the way']);
  });

  it('with recent: N, a stream with no position starts with its latest N messages (a page shows recent history)', async () => {
    const s = setup({ delivery: { recent: 2 } });
    for (const t of ['old', 'two', 'three']) s.streams.append('r:live://1', 1000, t);
    await online(s);
    await s.time.advance(0);
    assert.deepEqual(s.texts(), ['two', 'three']);
    assert.deepEqual(parseSync(s.sent(Op.Sync)[0].body).streams, [{ stream: 'r:live://1', last: 2 }]);
  });

  it('drops best-effort replays by id; their stream is empty and offset 0', async () => {
    const s = setup();
    const comet = await online(s);
    const m = s.streams.bestEffort(1000, 'to all');
    comet.pushMessage(m);
    comet.pushMessage(m);
    await s.time.advance(0);
    assert.deepEqual(
      s.messages.map((x) => [x.text(), x.stream, x.offset, x.id]),
      [['to all', '', '0', m.id.toString()]],
    );
  });

  it('recovers what was missed on reconnect (op 28 from its positions), recovered before live, no duplicate at the seam', async () => {
    const s = setup();
    let comet = await online(s);
    for (const t of ['a', 'b']) comet.pushMessage(s.streams.append('u:7', 1000, t));
    await s.time.advance(0);
    const [, m4] = ['c', 'd'].map((t) => s.streams.append('u:7', 1000, t)); // while away
    s.net.holdSyncs = true;
    comet = await reconnect(s);
    const syncs = comet.received.filter((p) => p.op === Op.Sync);
    assert.equal(syncs.length, 1);
    assert.deepEqual(parseSync(syncs[0].body).streams, [{ stream: 'u:7', epoch: 1, offset: 2n }], 'the room stream is at its head: not synced');
    // Live messages overtake the sync reply: 5, then a second copy of 4, then an old one again.
    const m5 = s.streams.append('u:7', 1000, 'e');
    comet.pushMessage(m5);
    comet.pushMessage(m4);
    await s.time.advance(0);
    assert.deepEqual(s.texts(), ['a', 'b'], 'live 5 waits for 3 and 4');
    comet.answerSyncs(); // 3, 4, 5, then op 29
    comet.pushMessage(m5);
    await s.time.advance(0);
    assert.deepEqual(s.texts(), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(s.failures, []);
  });

  it('raises recoveryFailed when the position is older than the history (lost), and goes on from the head', async () => {
    const s = setup();
    let comet = await online(s);
    comet.pushMessage(s.streams.append('u:7', 1000, 'a'));
    await s.time.advance(0);
    for (const t of ['b', 'c', 'd']) s.streams.append('u:7', 1000, t);
    s.streams.trim('u:7', 3n); // only 4 is left
    comet = await reconnect(s);
    await s.time.advance(0);
    assert.deepEqual(s.failures, [{ stream: 'u:7', reason: 'lost', epoch: 1, head: '4', from: { epoch: 1, offset: '1' } }]);
    comet.pushMessage(s.streams.append('u:7', 1000, 'e'));
    await s.time.advance(0);
    assert.deepEqual(s.texts(), ['a', 'e']);
  });

  it('acks in batches: one cumulative op 18 for many messages after ackIntervalMs, and a last one on close', async () => {
    const s = setup();
    const comet = await online(s);
    for (let i = 0; i < 10; i++) comet.pushMessage(s.streams.append('u:7', 1000, `m${i}`));
    await s.time.advance(999);
    assert.equal(s.streams.acks.length, 0);
    await s.time.advance(1);
    assert.deepEqual(s.streams.acks, [new Map([['u:7', 10n]])]);
    assert.equal(s.sent(Op.Ack)[0].seq, 0, 'seq 0: no op 19 wanted');
    await s.time.advance(5_000);
    assert.equal(s.streams.acks.length, 1, 'nothing new, no ack');
    comet.pushMessage(s.streams.append('u:7', 1000, 'last'));
    await s.time.advance(0);
    s.client.close();
    await s.time.advance(0);
    assert.deepEqual(s.streams.acks.at(-1), new Map([['u:7', 11n]]));
    assert.equal(s.streams.acks.length, 2);
  });

  it('send() goes as op 30 with a client id, is resent with the same id after a reconnect, and resolves once', async () => {
    const s = setup();
    let comet = await online(s);
    comet.holdSendReplies = true; // the first op 5 is lost with the link
    let settled = 0;
    const sending = s.client.send('hello', { op: 1000 }).finally(() => settled++);
    await s.time.advance(0);
    const first = decodeSendWithId(comet.received.filter((p) => p.op === Op.SendWithId)[0].body);
    assert.match(first.id, /^[0-9a-f]{16}$/);
    assert.equal(first.operation, 1000);
    comet = await reconnect(s);
    await s.time.advance(0);
    const again = comet.received.filter((p) => p.op === Op.SendWithId).map((p) => decodeSendWithId(p.body));
    assert.deepEqual(
      again.map((m) => m.id),
      [first.id],
    );
    const result = await sending;
    assert.equal(result.id, first.id);
    assert.equal(settled, 1);
    assert.equal(s.streams.upstream.length, 1, 'the server wrote the id once');
    assert.equal(new TextDecoder().decode(s.streams.upstream[0].payload), 'hello');
    // A send while away waits for the next connection instead of failing.
    s.net.last().drop();
    const waiting = s.client.send('later');
    while (s.client.state !== 'open') await s.time.advance(500);
    assert.notEqual((await waiting).id, first.id);
    assert.equal(s.streams.upstream.length, 2);
  });

  it('opts in at auth with delivery and device, and a new client recovers from the saved positions', async () => {
    const positions = new MemoryPositionStore();
    const net = new MiniCometNetwork();
    const s1 = setup({ delivery: { positions, device: 'phone' } }, net);
    const comet = await online(s1);
    const auth = JSON.parse(new TextDecoder().decode(comet.received.filter((p) => p.op === Op.Auth)[0].body)) as Record<string, unknown>;
    assert.equal(auth.delivery, true);
    assert.equal(auth.device, 'phone');
    for (const t of ['a', 'b']) comet.pushMessage(net.streams.append('u:7', 1000, t));
    await s1.time.advance(1_000);
    assert.deepEqual(positions.load()['u:7'], { epoch: 1, offset: '2' });
    s1.client.close();
    net.streams.append('u:7', 1000, 'c'); // while the app was closed
    const s2 = setup({ delivery: { positions } }, net);
    await online(s2);
    await s2.time.advance(0);
    assert.deepEqual(s2.texts(), ['c']);
  });

  it('with delivery off, authenticates and sends exactly as before and ignores op 27', async () => {
    const s = setup({ delivery: undefined });
    const comet = await online(s);
    const auth = JSON.parse(new TextDecoder().decode(s.sent(Op.Auth)[0].body)) as Record<string, unknown>;
    assert.deepEqual(auth, { room_id: 'live://1', platform: 'web', accepts: [1000], mid: 7 });
    const result = await Promise.all([s.client.send('hi'), s.time.advance(0)]).then(([r]) => r);
    assert.deepEqual(result, { seq: s.sent(Op.SendMsg)[0].seq });
    assert.equal(s.sent(Op.SendWithId).length, 0);
    comet.pushMessage(s.streams.append('u:7', 1000, 'a'));
    await s.time.advance(5_000);
    assert.deepEqual(s.messages, []);
    assert.equal(s.sent(Op.Sync).length + s.sent(Op.Ack).length, 0);
  });
});
