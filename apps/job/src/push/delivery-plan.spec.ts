import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PushMsg__Output } from '@imgate/contracts';
import { DeliveryPlan } from './delivery-plan';

function msg(over: Partial<PushMsg__Output>): PushMsg__Output {
  return { type: 'ROOM', operation: 1000, speed: 0, server: '', room: 'live://1', keys: [], msg: Buffer.from('x'), acceptedAtMs: 0, id: '', positions: [], ...over };
}

function pos(stream: string, offset: number) {
  return { stream, epoch: 77, offset };
}

describe('DeliveryPlan', () => {
  it('merges consecutive room messages per comet and keeps order across kinds', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 3, roomBatchBytes: 1_000 });
    plan.room(msg({ msg: Buffer.from('a') }), ['c1', 'c2']);
    plan.room(msg({ msg: Buffer.from('b') }), ['c1', 'c2']);
    plan.push(msg({ type: 'PUSH', server: 'c1', keys: ['k'], msg: Buffer.from('p') }));
    plan.room(msg({ msg: Buffer.from('c') }), ['c1']);
    plan.room(msg({ msg: Buffer.from('d'), operation: 1001 }), ['c1']);
    const c1 = plan.byComet.get('c1')!;
    assert.deepEqual(c1.map((d) => Object.keys(d)[0]), ['room', 'push', 'room', 'room']);
    assert.deepEqual(c1[0].room!.bodies!.map(String), ['a', 'b']);
    assert.deepEqual(c1[2].room!.bodies!.map(String), ['c']);
    assert.equal(c1[3].room!.operation, 1001);
    assert.deepEqual(plan.byComet.get('c2')![0].room!.bodies!.map(String), ['a', 'b']);
  });

  it('starts a new batch at the message or byte limit', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 2, roomBatchBytes: 5 });
    for (const s of ['aa', 'bb', 'cc', 'dddd', 'e']) plan.room(msg({ msg: Buffer.from(s) }), ['c1']);
    assert.deepEqual(plan.byComet.get('c1')!.map((d) => d.room!.bodies!.map(String)), [['aa', 'bb'], ['cc'], ['dddd', 'e']]);
  });

  it('shares a broadcast speed over the comets', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 10, roomBatchBytes: 1_000 });
    plan.all(msg({ type: 'BROADCAST', speed: 100 }), ['c1', 'c2', 'c3']);
    assert.equal(plan.byComet.get('c2')![0].all!.speed, 34);
    plan.all(msg({ type: 'BROADCAST', speed: 0 }), ['c1']);
    assert.equal(plan.byComet.get('c1')![1].all!.speed, 0);
  });

  it('passes a push by mid its message id and per-key positions', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 10, roomBatchBytes: 1_000 });
    const positions = [pos('u:7', 3), pos('u:7', 3), pos('u:8', 9)];
    plan.push(msg({ type: 'PUSH', server: 'c1', keys: ['a', 'b', 'c'], id: '42', positions }));
    const push = plan.byComet.get('c1')![0].push!;
    assert.equal(push.messageId, '42');
    assert.deepEqual(push.positions, positions);
  });

  it('keeps message ids and room positions parallel to the bodies of a merged batch', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 10, roomBatchBytes: 1_000 });
    for (const [body, id, offset] of [['a', '1', 5], ['b', '2', 6], ['c', '3', 7]] as const) {
      plan.room(msg({ msg: Buffer.from(body), id, positions: [pos('r:live://1', offset)] }), ['c1', 'c2']);
    }
    for (const server of ['c1', 'c2']) {
      const items = plan.byComet.get(server)!;
      assert.equal(items.length, 1);
      const room = items[0].room!;
      assert.deepEqual(room.bodies!.map(String), ['a', 'b', 'c']);
      assert.deepEqual(room.messageIds, ['1', '2', '3']);
      assert.deepEqual(room.positions!.map((p) => p.offset), [5, 6, 7]);
    }
  });

  it('does not merge room messages with positions and ones without', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 10, roomBatchBytes: 1_000 });
    plan.room(msg({ msg: Buffer.from('a'), id: '1', positions: [pos('r:live://1', 1)] }), ['c1']);
    plan.room(msg({ msg: Buffer.from('b'), id: '2' }), ['c1']);
    plan.room(msg({ msg: Buffer.from('c'), id: '3' }), ['c1']);
    plan.room(msg({ msg: Buffer.from('d') }), ['c1']);
    plan.room(msg({ msg: Buffer.from('e'), id: '5', positions: [pos('r:live://1', 2)] }), ['c1']);
    const rooms = plan.byComet.get('c1')!.map((d) => d.room!);
    assert.deepEqual(rooms.map((r) => r.bodies!.map(String)), [['a'], ['b', 'c'], ['d'], ['e']]);
    assert.deepEqual(rooms.map((r) => r.messageIds), [['1'], ['2', '3'], [], ['5']]);
    assert.deepEqual(rooms.map((r) => r.positions!.length), [1, 0, 0, 1]);
    for (const r of rooms) {
      if (r.messageIds!.length) assert.equal(r.messageIds!.length, r.bodies!.length);
      if (r.positions!.length) assert.equal(r.positions!.length, r.bodies!.length);
    }
  });

  it('carries message ids of broadcasts parallel to their bodies', () => {
    const plan = new DeliveryPlan({ roomBatchMessages: 10, roomBatchBytes: 1_000 });
    plan.all(msg({ type: 'BROADCAST', msg: Buffer.from('a'), id: '1' }), ['c1']);
    plan.all(msg({ type: 'BROADCAST', msg: Buffer.from('b'), id: '2' }), ['c1']);
    plan.all(msg({ type: 'BROADCAST', msg: Buffer.from('c') }), ['c1']);
    const all = plan.byComet.get('c1')!.map((d) => d.all!);
    assert.deepEqual(all.map((a) => [a.bodies!.map(String), a.messageIds]), [
      [['a', 'b'], ['1', '2']],
      [['c'], []],
    ]);
  });
});
