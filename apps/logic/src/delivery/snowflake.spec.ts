import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_SEQUENCE, parseSnowflake, Snowflake, SNOWFLAKE_EPOCH_MS } from './snowflake';

const EPOCH = SNOWFLAKE_EPOCH_MS;

/** A clock that moves only when told to, and a sleep that moves it (records what was asked). */
function fakeTime(start = EPOCH + 1_000) {
  const time = { t: start, sleeps: [] as number[] };
  const clock = { now: () => time.t };
  const sleep = async (ms: number) => {
    time.sleeps.push(ms);
    time.t += ms;
  };
  return { time, clock, sleep };
}

describe('Snowflake', () => {
  it('lays out 41 bits of ms since 2026-01-01, 10 of node, 12 of sequence (hand-computed ids)', () => {
    const { clock, sleep } = fakeTime(EPOCH + 1);
    const ids = new Snowflake(5, clock, sleep);
    assert.equal(SNOWFLAKE_EPOCH_MS, Date.parse('2026-01-01T00:00:00Z'));
    assert.equal(ids.tryNext(), 4_214_784n); // (1 << 22) | (5 << 12) | 0
    assert.equal(ids.tryNext(), 4_214_785n);
    // 41 + 10 + 12 = 63 bits: the top bit stays 0, so ids fit a signed int64 as well.
    const last = new Snowflake(1023, { now: () => EPOCH + 2 ** 41 - 1 }, sleep);
    assert.equal(last.tryNext(), 0x7ffffffffffff000n); // every ms bit, node 1023, sequence 0
    assert.equal(last.tryNext(), 0x7ffffffffffff001n);
    assert.deepEqual(parseSnowflake(0x7fffffffffffffffn), { time: EPOCH + 2 ** 41 - 1, node: 1023, sequence: 4095 });
  });

  it('decomposes into the time, node and sequence it was made with', async () => {
    const { time, clock, sleep } = fakeTime(Date.parse('2026-07-15T12:34:56.789Z'));
    const ids = new Snowflake(777, clock, sleep);
    await ids.next();
    await ids.next();
    assert.deepEqual(parseSnowflake(await ids.next()), { time: time.t, node: 777, sequence: 2 });
  });

  it('is strictly increasing and unique over many ids while the clock moves on', async () => {
    const { time, clock, sleep } = fakeTime();
    const ids = new Snowflake(3, clock, sleep);
    const seen = new Set<bigint>();
    let prev = -1n;
    for (let i = 0; i < 50_000; i++) {
      if (i % 7 === 0) time.t += i % 3;
      const id = await ids.next();
      assert.ok(id > prev);
      seen.add(id);
      prev = id;
    }
    assert.equal(seen.size, 50_000);
  });

  it('hands out 4,096 ids in one millisecond, then waits for the next', async () => {
    const { time, clock, sleep } = fakeTime();
    const ids = new Snowflake(1, clock, sleep);
    for (let i = 0; i <= MAX_SEQUENCE; i++) assert.equal(parseSnowflake(ids.tryNext()!).sequence, i);
    assert.equal(ids.tryNext(), undefined);
    const start = time.t;
    const next = await ids.next();
    assert.deepEqual(time.sleeps, [1]);
    assert.deepEqual(parseSnowflake(next), { time: start + 1, node: 1, sequence: 0 });
  });

  it('keeps the last millisecond when the clock steps back, and waits the whole way back when it runs out', async () => {
    const { time, clock, sleep } = fakeTime();
    const ids = new Snowflake(2, clock, sleep);
    const before = await ids.next();
    const at = time.t;
    time.t -= 50; // NTP stepped the clock back
    const after = await ids.next();
    assert.ok(after > before);
    assert.deepEqual(parseSnowflake(after), { time: at, node: 2, sequence: 1 });
    while (ids.tryNext() !== undefined);
    const waited = await ids.next();
    assert.deepEqual(time.sleeps, [51]);
    assert.deepEqual(parseSnowflake(waited), { time: at + 1, node: 2, sequence: 0 });
  });

  it('gives concurrent callers past the limit distinct ids', async () => {
    const { clock, sleep } = fakeTime();
    const ids = new Snowflake(9, clock, sleep);
    const all = await Promise.all(Array.from({ length: 3 * 4096 + 10 }, () => ids.next()));
    assert.equal(new Set(all).size, all.length);
  });

  it('takes a new node id (a lease moved), and refuses one outside 0-1023', () => {
    const { clock, sleep } = fakeTime();
    const ids = new Snowflake(0, clock, sleep);
    assert.equal(parseSnowflake(ids.tryNext()!).node, 0);
    ids.node = 1023;
    assert.equal(ids.node, 1023);
    assert.equal(parseSnowflake(ids.tryNext()!).node, 1023);
    for (const bad of [-1, 1024, 1.5, Number.NaN]) {
      assert.throws(() => new Snowflake(bad, clock, sleep), RangeError);
      assert.throws(() => (ids.node = bad), RangeError);
    }
    assert.equal(ids.node, 1023);
  });

  it('refuses a clock before the epoch or past 41 bits', () => {
    const { sleep } = fakeTime();
    assert.throws(() => new Snowflake(0, { now: () => EPOCH - 1 }, sleep).tryNext(), /before the id epoch/);
    assert.throws(() => new Snowflake(0, { now: () => EPOCH + 2 ** 41 }, sleep).tryNext(), /41 bits/);
    assert.throws(() => parseSnowflake(-1n), RangeError);
  });

  it('property: whatever the clock does (steps forward, back, bursts), ids of one node strictly increase', async () => {
    const step = fc.record({ dt: fc.integer({ min: -1_000, max: 1_000 }), count: fc.integer({ min: 1, max: 5_000 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const { time, clock, sleep } = fakeTime(EPOCH + 10_000);
        const ids = new Snowflake(42, clock, sleep);
        let prev = -1n;
        for (const { dt, count } of steps) {
          time.t += dt;
          for (let i = 0; i < count; i++) {
            const id = ids.tryNext() ?? (await ids.next());
            assert.ok(id > prev, `${id} after ${prev}`);
            assert.equal(parseSnowflake(id).node, 42);
            prev = id;
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
