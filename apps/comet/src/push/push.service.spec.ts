import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { decodeBatch, decodeStreamMessage, Op, type Packet } from '@imgate/protocol';
import { Buckets } from '../bucket/buckets';
import type { Channel } from '../bucket/channel';
import { CometMetrics } from '../comet.metrics';
import { Incarnation } from '../incarnation';
import type { Outbound } from './outbound';
import { PushService } from './push.service';

/** A channel that keeps the very buffers written to it. */
function member(key: string, mid: number, delivery: boolean, room = 'live://1') {
  const buffers: Buffer[] = [];
  const ch: Channel = {
    key,
    mid,
    roomId: room,
    roomList: () => [room],
    accepts: new Set([1000]),
    checksum: false,
    remoteAddress: '',
    transport: 'tcp',
    delivery,
    deliver: (out: Outbound) => {
      buffers.push(out.stream(false));
      return true;
    },
    close: () => undefined,
  };
  const packets = (): Packet[] => buffers.flatMap((b) => decodeBatch(Uint8Array.from(b)));
  return { ch, buffers, packets };
}

function service(...members: Array<ReturnType<typeof member>>) {
  const buckets = new Buckets({ buckets: 4 });
  for (const m of members) buckets.put(m.ch);
  return new PushService(buckets, new CometMetrics(new Registry()), new Incarnation({ now: () => 1_000 }));
}

const bodies = [Buffer.from('a'), Buffer.from('b')];

describe('PushService with reliable delivery', () => {
  it('encodes a room batch once per form and writes the same buffer to every member of that form', () => {
    const plain = [member('p1', 1, false), member('p2', 2, false)];
    const opted = [member('o1', 3, true), member('o2', 4, true)];
    const push = service(...plain, ...opted);
    const positions = [
      { stream: 'r:live://1', epoch: 9, offset: 5 },
      { stream: 'r:live://1', epoch: 9, offset: 6 },
    ];
    assert.equal(push.broadcastRoom('live://1', 1000, bodies, 0, ['100', '101'], positions), 4);
    assert.equal(plain[0].buffers[0], plain[1].buffers[0], 'one plain buffer');
    assert.equal(opted[0].buffers[0], opted[1].buffers[0], 'one op-27 buffer');
    assert.notEqual(plain[0].buffers[0], opted[0].buffers[0]);
    assert.deepEqual(plain[0].packets().map((p) => [p.op, Buffer.from(p.body).toString()]), [
      [1000, 'a'],
      [1000, 'b'],
    ]);
    const streamed = opted[0].packets();
    assert.deepEqual(streamed.map((p) => p.op), [Op.Message, Op.Message]);
    assert.deepEqual(
      streamed.map((p) => decodeStreamMessage(p.body)).map((m) => [m.stream, m.epoch, m.offset, m.id, m.operation, Buffer.from(m.payload).toString()]),
      [
        ['r:live://1', 9, 5n, 100n, 1000, 'a'],
        ['r:live://1', 9, 6n, 101n, 1000, 'b'],
      ],
    );
  });

  it('filters op-27 deliveries by the business operation the connection accepts', () => {
    const opted = member('o1', 3, true);
    const push = service(opted);
    assert.equal(push.broadcastRoom('live://1', 1001, bodies, 0, ['1', '2']), 0);
    assert.equal(opted.buffers.length, 0);
  });

  it('gives an opted-in member every message of its room stream, accepted or not; a goim member only what it accepts', () => {
    const opted = member('o1', 3, true);
    const plain = member('p1', 4, false);
    const push = service(opted, plain);
    const positions = [
      { stream: 'r:live://1', epoch: 9, offset: 5 },
      { stream: 'r:live://1', epoch: 9, offset: 6 },
    ];
    // Neither accepts 1001: leaving it out of the opted-in member's stream would be a hole no sync could fill.
    assert.equal(push.broadcastRoom('live://1', 1001, bodies, 0, ['1', '2'], positions), 1);
    assert.deepEqual(opted.packets().map((p) => decodeStreamMessage(p.body).offset), [5n, 6n]);
    assert.equal(plain.buffers.length, 0);
  });

  it('sends plain packets to everyone when the batch has no (or incomplete) message ids', () => {
    const opted = member('o1', 3, true);
    const push = service(opted);
    push.broadcastRoom('live://1', 1000, bodies, 0);
    push.broadcastRoom('live://1', 1000, bodies, 0, ['1']);
    assert.deepEqual(opted.packets().map((p) => p.op), [1000, 1000, 1000, 1000]);
  });

  it('pushes by key at each key’s place in its user stream, sharing one op-27 form per user', () => {
    const a1 = member('a1', 7, true);
    const a2 = member('a2', 7, true);
    const b = member('b', 8, true);
    const old = member('c', 9, false);
    const push = service(a1, a2, b, old);
    const positions = [
      { stream: 'u:7', epoch: 1, offset: 3 },
      { stream: 'u:7', epoch: 1, offset: 3 },
      { stream: 'u:8', epoch: 2, offset: 10 },
      { stream: 'u:9', epoch: 3, offset: 4 },
    ];
    const r = push.pushKeys(['a1', 'a2', 'b', 'c', 'gone'], 1000, Buffer.from('x'), 0, '55', [...positions, { stream: 'u:10', epoch: 1, offset: 1 }]);
    assert.deepEqual(r, { delivered: 4, missing: ['gone'] });
    assert.equal(a1.buffers[0], a2.buffers[0], 'one buffer for the keys of one user');
    assert.notEqual(a1.buffers[0], b.buffers[0]);
    const at = (m: ReturnType<typeof member>) => decodeStreamMessage(m.packets()[0].body);
    assert.deepEqual([at(a1).stream, at(a1).offset, at(a1).id], ['u:7', 3n, 55n]);
    assert.deepEqual([at(b).stream, at(b).offset], ['u:8', 10n]);
    assert.equal(old.packets()[0].op, 1000);
  });

  it('sends a push without positions to opted-in clients as a best-effort op 27 with its id, and without an id as plain', () => {
    const opted = member('o', 7, true);
    const push = service(opted);
    push.pushKeys(['o'], 1000, Buffer.from('x'), 0, '77');
    push.broadcast(1000, [Buffer.from('y')], 0, 0, ['78']);
    push.pushKeys(['o'], 1000, Buffer.from('z'), 0, '');
    const [p1, p2, p3] = opted.packets();
    assert.deepEqual(
      [p1, p2].map((p) => decodeStreamMessage(p.body)).map((m) => [m.stream, m.epoch, m.offset, m.id]),
      [
        ['', 0, 0n, 77n],
        ['', 0, 0n, 78n],
      ],
    );
    assert.equal(p3.op, 1000);
  });
});

describe('PushService.kick', () => {
  it('closes by key and by mid with op 21, the kind as its code (else the numeric code)', () => {
    const closed: string[] = [];
    const ms = [member('a', 1, false), member('b', 1, false), member('c', 2, false), member('d', 3, false)];
    for (const m of ms) m.ch.close = (reason, op, code) => closed.push(`${m.ch.key} ${op} ${code} ${reason}`);
    const push = service(...ms);
    assert.equal(push.kick(['c'], [1], 0, 'bye', 'login_elsewhere'), 3);
    assert.deepEqual(closed.sort(), ['a 21 login_elsewhere bye', 'b 21 login_elsewhere bye', 'c 21 login_elsewhere bye']);
    closed.length = 0;
    assert.equal(push.kick(['d'], [], 4001, ''), 1);
    assert.deepEqual(closed, ['d 21 4001 kicked']);
  });
});

describe('PushService.deliver after a restart under the same comet id', () => {
  const item = (keys: string[], acceptedAtMs: number) => ({ push: { keys, operation: 1000, body: Buffer.from('x'), acceptedAtMs, messageId: '', positions: [] } });

  it('drops pushes to keys resolved before this process started, and counts keys it does not hold as unreachable', () => {
    const resumed = member('k1', 1, false);
    // This process started at 1,000 (the service's clock).
    const push = service(resumed);
    const out = push.deliver([item(['k1'], 999), item(['gone'], 1_500), item(['k1'], 1_500)]);
    assert.deepEqual(out, { delivered: 1, stale: 1, unreachable: 1 });
    // Only the push accepted after the start reached the key's holder.
    assert.equal(resumed.packets().length, 1);
  });

  it('delivers a push without an acceptance time (an older logic) as before', () => {
    const m = member('k1', 1, false);
    assert.deepEqual(service(m).deliver([item(['k1'], 0)]), { delivered: 1, stale: 0, unreachable: 0 });
  });
});
