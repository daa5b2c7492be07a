import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PushMsg__Output } from '@imgate/contracts';
import { DeliveryPlan } from './delivery-plan';

function msg(over: Partial<PushMsg__Output>): PushMsg__Output {
  return { type: 'ROOM', operation: 1000, speed: 0, server: '', room: 'live://1', keys: [], msg: Buffer.from('x'), acceptedAtMs: 0, ...over };
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
});
