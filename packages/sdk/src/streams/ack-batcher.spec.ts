import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAck } from '@imgate/protocol';
import { AckBatcher } from './ack-batcher.js';

class Clock {
  t = 10_000;
  now(): number {
    return this.t;
  }
}

const acks = (body: Uint8Array | undefined) => (body === undefined ? undefined : Object.fromEntries([...parseAck(body)].map(([s, o]) => [s, Number(o)])));

function batcher(opts: ConstructorParameters<typeof AckBatcher>[1] = {}) {
  const clock = new Clock();
  return { clock, b: new AckBatcher(clock, opts) };
}

describe('AckBatcher', () => {
  it('has nothing to send when nothing was delivered', () => {
    const { b } = batcher();
    assert.equal(b.dueAt(), undefined);
    assert.equal(b.take(), undefined);
    assert.equal(b.take(true), undefined);
  });

  it('acks the highest offset per stream once ackIntervalMs after the first unacked message', () => {
    const { b, clock } = batcher({ ackIntervalMs: 1_000 });
    b.delivered('u:1', 5, 3n);
    clock.t += 400;
    b.delivered('u:1', 5, 4n);
    b.delivered('r:a', 9, 70n);
    assert.equal(b.pending, 3);
    assert.equal(b.dueAt(), 11_000);
    clock.t = 10_999;
    assert.equal(b.take(), undefined);
    clock.t = 11_000;
    assert.deepEqual(acks(b.take()), { 'u:1': 4, 'r:a': 70 });
    assert.equal(b.take(), undefined, 'nothing changed since');
    assert.equal(b.dueAt(), undefined);
    assert.equal(b.pending, 0);
  });

  it('sends only the streams that moved since the last ack', () => {
    const { b, clock } = batcher({ ackIntervalMs: 0 });
    b.delivered('u:1', 5, 1n);
    b.delivered('r:a', 9, 1n);
    assert.deepEqual(acks(b.take()), { 'u:1': 1, 'r:a': 1 });
    clock.t += 1;
    b.delivered('r:a', 9, 2n);
    assert.deepEqual(acks(b.take()), { 'r:a': 2 });
  });

  it('is due at once when maxPending messages are unacked', () => {
    const { b } = batcher({ maxPending: 3 });
    assert.equal(b.delivered('u:1', 5, 1n), false);
    assert.equal(b.delivered('u:1', 5, 2n), false);
    assert.equal(b.delivered('u:1', 5, 3n), true);
    assert.equal(b.dueAt(), 10_000);
    assert.deepEqual(acks(b.take()), { 'u:1': 3 });
  });

  it('ignores an offset that does not move forward, unless the epoch changed', () => {
    const { b } = batcher();
    b.delivered('u:1', 5, 9n);
    b.take(true);
    b.delivered('u:1', 5, 9n);
    b.delivered('u:1', 5, 4n);
    assert.equal(b.dueAt(), undefined);
    assert.equal(b.pending, 0);
    b.delivered('u:1', 6, 2n);
    assert.deepEqual(acks(b.take(true)), { 'u:1': 2 });
  });

  it('a jump without messages (after a reset) is acked but does not count toward maxPending', () => {
    const { b, clock } = batcher({ maxPending: 1 });
    assert.equal(b.delivered('u:1', 5, 50n, 0), false);
    assert.equal(b.pending, 0);
    clock.t += 1_000;
    assert.deepEqual(acks(b.take()), { 'u:1': 50 });
  });

  it('puts at most 64 streams in one body and leaves the rest due', () => {
    const { b } = batcher({ maxPending: 1_000 });
    for (let i = 1; i <= 70; i++) b.delivered(`u:${i}`, 1, BigInt(i));
    const first = acks(b.take(true))!;
    assert.equal(Object.keys(first).length, 64);
    const second = acks(b.take(true))!;
    assert.deepEqual(Object.keys(second), ['u:65', 'u:66', 'u:67', 'u:68', 'u:69', 'u:70']);
    assert.equal(b.take(true), undefined);
  });

  it('after a reconnect repeats every stream at once, since the last ack may be lost', () => {
    const { b, clock } = batcher();
    b.delivered('u:1', 5, 3n);
    b.delivered('r:a', 9, 4n);
    b.take(true);
    clock.t += 50;
    b.connected();
    assert.equal(b.dueAt(), clock.t);
    assert.deepEqual(acks(b.take()), { 'u:1': 3, 'r:a': 4 });
  });

  it('forgets a stream', () => {
    const { b } = batcher();
    b.delivered('u:1', 5, 3n);
    b.delivered('r:a', 9, 4n);
    b.forget('r:a');
    assert.deepEqual(acks(b.take(true)), { 'u:1': 3 });
    b.connected();
    assert.deepEqual(acks(b.take()), { 'u:1': 3 });
  });
});
