import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StreamMessage, SyncReply } from '@imgate/protocol';
import { StreamTracker, type StreamUpdate } from './stream-tracker.js';

class Clock {
  t = 1_000;
  now(): number {
    return this.t;
  }
}

const U = 'u:7';
const R = 'r:live://1';

function msg(offset: number | bigint, over: Partial<StreamMessage> = {}): StreamMessage {
  return { stream: U, epoch: 100, offset: BigInt(offset), id: 1000n + BigInt(offset), operation: 1000, payload: Uint8Array.of(Number(offset) & 0xff), ...over };
}

/** Offsets of the messages an update hands to the app. */
const offsets = (u: StreamUpdate) => u.messages.map((m) => Number(m.offset));

function tracker(over: ConstructorParameters<typeof StreamTracker>[1] = {}) {
  const clock = new Clock();
  const t = new StreamTracker(clock, over);
  return { clock, t };
}

describe('StreamTracker: live messages', () => {
  it('hands out messages in offset order and drops duplicates by (stream, offset)', () => {
    const { t } = tracker();
    assert.deepEqual(offsets(t.receive(msg(1))), [1]);
    assert.deepEqual(offsets(t.receive(msg(2))), [2]);
    assert.deepEqual(offsets(t.receive(msg(2))), []);
    assert.deepEqual(offsets(t.receive(msg(1))), []);
    assert.deepEqual(offsets(t.receive(msg(1, { stream: R }))), [1], 'another stream has its own offsets');
    assert.deepEqual(t.position(U), { epoch: 100, offset: 2n });
  });

  it('holds an early message until the one before it arrives: 6 before 5 is shown as 5, 6', () => {
    const { t } = tracker();
    t.connected(new Map([[U, { epoch: 100, head: 4n }]]));
    assert.deepEqual(offsets(t.receive(msg(6))), []);
    assert.deepEqual(offsets(t.receive(msg(6))), [], 'a held duplicate is dropped');
    assert.deepEqual(offsets(t.receive(msg(8))), []);
    const u = t.receive(msg(5));
    assert.deepEqual(offsets(u), [5, 6]);
    assert.deepEqual(u.sync, []);
    assert.deepEqual(offsets(t.receive(msg(7))), [7, 8]);
    assert.equal(t.nextDueAt(), undefined, 'no gap left');
  });

  it('starts a stream it has not seen at the first message that arrives (a room joined later)', () => {
    const { t } = tracker();
    assert.deepEqual(offsets(t.receive(msg(40, { stream: R }))), [40]);
    assert.deepEqual(offsets(t.receive(msg(39, { stream: R }))), []);
    assert.deepEqual(t.positions(), [{ stream: R, epoch: 100, offset: 40n }]);
  });

  it('copies the payload of a message it holds: the caller may reuse its buffer', () => {
    const { t } = tracker();
    t.receive(msg(1));
    const payload = Uint8Array.of(1, 2, 3);
    t.receive(msg(3, { payload }));
    payload.fill(9);
    const [, third] = t.receive(msg(2)).messages;
    assert.deepEqual(third!.payload, Uint8Array.of(1, 2, 3));
  });

  it('passes best-effort messages at once and drops a replayed id among the last ones seen', () => {
    const { t } = tracker({ recentIds: 2 });
    const be = (id: bigint) => msg(0, { stream: '', epoch: 0, offset: 0n, id });
    assert.equal(t.receive(be(1n)).messages.length, 1);
    assert.equal(t.receive(be(1n)).messages.length, 0);
    assert.equal(t.receive(be(2n)).messages.length, 1);
    assert.equal(t.receive(be(1n)).messages.length, 0, 'seeing 1 again made it the newest');
    assert.equal(t.receive(be(3n)).messages.length, 1, 'evicts 2, the oldest');
    assert.equal(t.receive(be(2n)).messages.length, 1, '2 was forgotten');
    assert.deepEqual(t.positions(), [], 'best-effort messages have no stream');
  });
});

describe('StreamTracker: gaps', () => {
  it('asks to sync a gap still open after gapWaitMs, once, and again after syncRetryMs', () => {
    const { t, clock } = tracker({ gapWaitMs: 300, syncRetryMs: 5_000 });
    t.receive(msg(1));
    t.receive(msg(3));
    assert.equal(t.nextDueAt(), 1_300);
    clock.t = 1_299;
    assert.deepEqual(t.due(), []);
    clock.t = 1_300;
    assert.deepEqual(t.due(), [{ stream: U, epoch: 100, offset: 1n }]);
    assert.deepEqual(t.due(), [], 'asked: not again right away');
    assert.equal(t.nextDueAt(), 6_300);
    clock.t = 6_300;
    assert.deepEqual(t.due(), [{ stream: U, epoch: 100, offset: 1n }]);
  });

  it('asks from within receive when traffic goes on past the wait (no timer needed)', () => {
    const { t, clock } = tracker({ gapWaitMs: 300 });
    t.receive(msg(1));
    t.receive(msg(3));
    clock.t += 100;
    assert.deepEqual(t.receive(msg(4)).sync, []);
    clock.t += 200;
    assert.deepEqual(t.receive(msg(5)).sync, [{ stream: U, epoch: 100, offset: 1n }]);
    assert.deepEqual(t.receive(msg(6)).sync, []);
  });

  it('restarts the wait when part of a gap fills and a later gap remains', () => {
    const { t, clock } = tracker({ gapWaitMs: 300 });
    t.receive(msg(1));
    t.receive(msg(3));
    t.receive(msg(5));
    clock.t += 250;
    assert.deepEqual(offsets(t.receive(msg(2))), [2, 3]);
    assert.equal(t.nextDueAt(), clock.t + 300, 'the gap at 4 waits its own 300 ms');
  });

  it('a full buffer drops the newest early message and asks to sync at once', () => {
    const { t } = tracker({ maxBuffered: 2 });
    t.receive(msg(1));
    assert.deepEqual(t.receive(msg(3)).sync, []);
    assert.deepEqual(t.receive(msg(4)).sync, []);
    assert.deepEqual(t.receive(msg(5)).sync, [{ stream: U, epoch: 100, offset: 1n }]);
    assert.deepEqual(t.receive(msg(6)).sync, [], 'one ask until it is answered or stale');
    // The sync brings 2..6 (3 and 4 are held, 5 and 6 were dropped), then op 29.
    const out = [2, 3, 4, 5, 6].flatMap((o) => offsets(t.receive(msg(o))));
    assert.deepEqual(out, [2, 3, 4, 5, 6]);
    const u = t.applySyncReply({ streams: [{ stream: U, status: 'ok', epoch: 100, head: 6n }] });
    assert.deepEqual(u, { messages: [], resets: [], sync: [] });
    assert.equal(t.nextDueAt(), undefined);
  });
});

describe('StreamTracker: sync replies', () => {
  it('ok settles up to head, skipping offsets the reply did not carry (filtered by accepts)', () => {
    const { t } = tracker();
    t.receive(msg(1));
    t.receive(msg(3));
    t.receive(msg(6));
    const u = t.applySyncReply({ streams: [{ stream: U, status: 'ok', epoch: 100, head: 4n }] });
    assert.deepEqual(offsets(u), [3]);
    assert.deepEqual(t.position(U), { epoch: 100, offset: 4n });
    assert.notEqual(t.nextDueAt(), undefined, '6 is still held past the gap at 5');
    assert.deepEqual(offsets(t.receive(msg(5))), [5, 6]);
  });

  it('more settles up to next - 1 and asks again from there', () => {
    const { t } = tracker();
    t.receive(msg(1));
    for (let o = 2; o <= 3; o++) t.receive(msg(o));
    const u = t.applySyncReply({ streams: [{ stream: U, status: 'more', epoch: 100, head: 900n, next: 4n }] });
    assert.deepEqual(u.sync, [{ stream: U, epoch: 100, offset: 3n }]);
    assert.deepEqual(t.due(), [], 'the ask is recorded');
  });

  it('lost resets the stream to the new epoch and head, drops what it held and says so', () => {
    const { t } = tracker();
    t.receive(msg(1));
    t.receive(msg(5));
    const u = t.applySyncReply({ streams: [{ stream: U, status: 'lost', epoch: 200, head: 50n }] });
    assert.deepEqual(u.resets, [{ stream: U, reason: 'lost', from: { epoch: 100, offset: 1n }, to: { epoch: 200, offset: 50n }, dropped: 1 }]);
    assert.deepEqual(offsets(t.receive(msg(51, { epoch: 200 }))), [51]);
  });

  it('lost in the same epoch keeps held messages past the new head', () => {
    const { t } = tracker();
    t.receive(msg(1));
    t.receive(msg(5));
    t.receive(msg(12));
    const u = t.applySyncReply({ streams: [{ stream: U, status: 'lost', epoch: 100, head: 11n }] });
    assert.deepEqual(offsets(u), [12]);
    assert.equal(u.resets[0]!.dropped, 1);
  });

  it('denied forgets the stream and reports it', () => {
    const { t } = tracker();
    t.receive(msg(3, { stream: R }));
    const u = t.applySyncReply({ streams: [{ stream: R, status: 'denied' }] });
    assert.deepEqual(u.resets, [{ stream: R, reason: 'denied', from: { epoch: 100, offset: 3n }, to: { epoch: 100, offset: 3n }, dropped: 0 }]);
    assert.deepEqual(t.positions(), []);
    assert.deepEqual(t.applySyncReply({ streams: [{ stream: R, status: 'denied' }] }).resets, [], 'unknown: nothing to report');
  });

  it('a reply for a stream it does not track starts it at the head', () => {
    const { t } = tracker();
    t.applySyncReply({ streams: [{ stream: R, status: 'ok', epoch: 9, head: 20n }] });
    assert.deepEqual(t.position(R), { epoch: 9, offset: 20n });
  });
});

describe('StreamTracker: epochs', () => {
  it('a live message of a new epoch resets the stream to it, and late ones of the old epoch are dropped', () => {
    const { t } = tracker();
    t.receive(msg(1));
    t.receive(msg(2));
    t.receive(msg(4));
    const u = t.receive(msg(1, { epoch: 200 }));
    assert.deepEqual(offsets(u), [1]);
    assert.deepEqual(u.resets, [{ stream: U, reason: 'epoch_changed', from: { epoch: 100, offset: 2n }, to: { epoch: 200, offset: 0n }, dropped: 1 }]);
    const late = t.receive(msg(3));
    assert.deepEqual(late, { messages: [], resets: [], sync: [] });
    assert.deepEqual(t.position(U), { epoch: 200, offset: 1n });
  });

  it('a live message deep into a new epoch resets to the epoch start and syncs the messages before it', () => {
    const { t, clock } = tracker();
    t.receive(msg(1));
    const u = t.receive(msg(7, { epoch: 200 }));
    assert.deepEqual([offsets(u), u.resets[0].to], [[], { epoch: 200, offset: 0n }]);
    clock.t += 300;
    assert.deepEqual(t.due(), [{ stream: U, epoch: 200, offset: 0n }]);
  });

  it('a sync reply of a new epoch resets to the epoch start and asks again from there', () => {
    const { t } = tracker();
    t.receive(msg(1));
    const u = t.applySyncReply({ streams: [{ stream: U, status: 'ok', epoch: 300, head: 9n }] });
    assert.deepEqual(u.resets.map((r) => [r.reason, r.to]), [['epoch_changed', { epoch: 300, offset: 0n }]]);
    assert.deepEqual(u.sync, [{ stream: U, epoch: 300, offset: 0n }]);
  });

  it('epoch 0 is "not known yet": the first real epoch replaces it without a reset', () => {
    const { t } = tracker();
    t.connected(new Map([[U, { epoch: 0, head: 0n }]]));
    const u = t.receive(msg(1, { epoch: 5 }));
    assert.deepEqual([offsets(u), u.resets], [[1], []]);
  });
});

describe('StreamTracker: connections and positions', () => {
  it('connected with heads: new streams start at the head, changed epochs reset, only streams behind are synced', () => {
    const { t } = tracker();
    t.restore({ [U]: { epoch: 100, offset: '10' }, [R]: { epoch: 1, offset: '5' }, 'r:b': { epoch: 3, offset: '8' }, 'r:gone': { epoch: 4, offset: '2' } });
    const u = t.connected(
      new Map([
        [U, { epoch: 100, head: 12n }],
        [R, { epoch: 2, head: 30n }],
        ['r:b', { epoch: 3, head: 8n }],
        ['r:new', { epoch: 6, head: 77n }],
      ]),
    );
    // A changed epoch is read from its start (everything in it is newer than what the client holds).
    assert.deepEqual(u.resets, [{ stream: R, reason: 'epoch_changed', from: { epoch: 1, offset: 5n }, to: { epoch: 2, offset: 0n }, dropped: 0 }]);
    assert.deepEqual(u.sync, [
      { stream: U, epoch: 100, offset: 10n },
      { stream: R, epoch: 2, offset: 0n },
      { stream: 'r:gone', epoch: 4, offset: 2n },
    ]);
    assert.deepEqual(t.position('r:new'), { epoch: 6, offset: 77n });
  });

  it('connected without heads syncs every tracked stream, and voids asks made on the old connection', () => {
    const { t, clock } = tracker();
    t.receive(msg(1));
    t.receive(msg(3));
    clock.t += 300;
    assert.equal(t.due().length, 1);
    const u = t.connected();
    assert.deepEqual(u.sync, [{ stream: U, epoch: 100, offset: 1n }]);
    assert.deepEqual(t.due(), []);
  });

  it('snapshot and restore round-trip positions; restore skips bad offsets and keeps tracked streams', () => {
    const { t } = tracker();
    t.receive(msg(5));
    t.receive(msg(9, { stream: R, epoch: 3 }));
    const saved = t.snapshot();
    assert.deepEqual(saved, { [U]: { epoch: 100, offset: '5' }, [R]: { epoch: 3, offset: '9' } });
    const other = tracker().t;
    other.receive(msg(1));
    other.restore({ ...saved, 'r:x': { epoch: 1, offset: 'nope' } });
    assert.deepEqual(other.snapshot(), { [U]: { epoch: 100, offset: '1' }, [R]: { epoch: 3, offset: '9' } });
    other.forget(R);
    assert.deepEqual(Object.keys(other.snapshot()), [U]);
  });
});

describe('StreamTracker: properties', () => {
  it('any arrival order with duplicates reaches the app as 1..n exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()].map((i) => i + 1), { minLength: n }), fc.array(fc.integer({ min: 1, max: n }), { maxLength: 20 }))), ([n, order, dups]) => {
        const { t } = tracker({ gapWaitMs: 1e9 });
        t.connected(new Map([[U, { epoch: 100, head: 0n }]]));
        const seen: number[] = [];
        for (const o of [...order, ...dups]) seen.push(...offsets(t.receive(msg(o))));
        assert.deepEqual(seen, [...Array(n).keys()].map((i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('with messages lost and reordered on the way, gap syncs answered from history recover every message in order', () => {
    const scenario = fc.record({
      n: fc.integer({ min: 1, max: 80 }),
      lose: fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
      swaps: fc.array(fc.nat({ max: 79 }), { maxLength: 30 }),
      limit: fc.integer({ min: 1, max: 10 }),
    });
    fc.assert(
      fc.property(scenario, ({ n, lose, swaps, limit }) => {
        const { t, clock } = tracker({ gapWaitMs: 300, maxBuffered: 8 });
        t.connected(new Map([[U, { epoch: 100, head: 0n }]]));
        const live = [...Array(n).keys()].map((i) => i + 1).filter((o) => !lose[o - 1]);
        for (const i of swaps) if (i + 1 < live.length) [live[i], live[i + 1]] = [live[i + 1]!, live[i]!];
        const seen: number[] = [];
        const take = (u: StreamUpdate, asks: Array<{ offset: bigint }>) => {
          seen.push(...offsets(u));
          assert.deepEqual(u.resets, []);
          asks.push(...(u.sync as Array<{ offset: bigint }>));
        };
        const asks: Array<{ offset: bigint }> = [];
        for (const o of live) take(t.receive(msg(o)), asks);
        // The tail lost with no later message to reveal it: the server's head does (a later connect).
        take(t.connected(new Map([[U, { epoch: 100, head: BigInt(n) }]])), asks);
        for (let rounds = 0; rounds < 200 && seen.length < n; rounds++) {
          clock.t += 300;
          asks.push(...(t.due() as Array<{ offset: bigint }>));
          const ask = asks.shift();
          if (!ask) continue;
          // A server answering from history: up to `limit` messages after the position, then op 29.
          const from = Number(ask.offset) + 1;
          const to = Math.min(n, from + limit - 1);
          for (let o = from; o <= to; o++) take(t.receive(msg(o)), asks);
          const reply: SyncReply = { streams: [to < n ? { stream: U, status: 'more', epoch: 100, head: BigInt(n), next: BigInt(to + 1) } : { stream: U, status: 'ok', epoch: 100, head: BigInt(n) }] };
          take(t.applySyncReply(reply), asks);
        }
        assert.deepEqual(seen, [...Array(n).keys()].map((i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });
});
