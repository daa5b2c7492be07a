import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('draws each delay uniformly below min(cap, base·2^attempt) (full jitter)', () => {
    const top = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0.999999);
    assert.deepEqual(Array.from({ length: 7 }, () => top.next()), [99, 199, 399, 799, 999, 999, 999]);
    const bottom = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0);
    assert.deepEqual(Array.from({ length: 4 }, () => bottom.next()), [0, 0, 0, 0]);
    const half = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0.5);
    assert.deepEqual(Array.from({ length: 6 }, () => half.next()), [50, 100, 200, 400, 500, 500]);
  });

  it('never reaches the bound, even for a random source that returns 1', () => {
    const b = new Backoff({ baseMs: 100, capMs: 400 }, () => 1);
    assert.deepEqual([b.next(), b.next(), b.next(), b.next()], [99, 199, 399, 399]);
  });

  it('spreads real random delays over the whole range and keeps them within the cap', () => {
    const b = new Backoff({ baseMs: 1_000, capMs: 8_000 });
    const draws: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      b.reset();
      for (let k = 0; k < 6; k++) draws.push(b.next());
    }
    assert.ok(draws.every((d) => d >= 0 && d < 8_000 && Number.isInteger(d)));
    // Late attempts sit at the cap: their delays must cover most of [0, cap), not cluster.
    const capped = draws.filter((_, i) => i % 6 === 5);
    assert.ok(Math.min(...capped) < 800 && Math.max(...capped) > 7_200, `${Math.min(...capped)}..${Math.max(...capped)}`);
  });

  it('counts attempts, drops to the second step on auth, and starts over after a connection that stayed up for stableMs', () => {
    const b = new Backoff({ baseMs: 100, capMs: 10_000, stableMs: 5_000 }, () => 0.5);
    b.next();
    b.next();
    b.next();
    assert.equal(b.attempt, 3);
    b.connected(1_000); // authenticated: the outage is over, the cap reached during it is not kept
    b.disconnected(3_000); // up 2 s: a flapping link keeps the second step, not the base
    assert.equal(b.attempt, 1);
    assert.equal(b.next(), 100);
    b.next();
    b.next();
    assert.equal(b.next(), 800);
    b.connected(10_000);
    b.disconnected(15_000); // up 5 s: stable, so the next failure starts from the base again
    assert.equal(b.attempt, 0);
    assert.equal(b.next(), 50);
  });

  it('rejects nonsense settings and keeps the cap at least the base', () => {
    assert.throws(() => new Backoff({ baseMs: 0 }), /baseMs/);
    assert.throws(() => new Backoff({ capMs: Number.NaN }), /capMs/);
    assert.equal(new Backoff({ baseMs: 500, capMs: 100 }).capMs, 500);
  });
});

describe('Backoff defaults', () => {
  it('caps at 5 s, so a client is back within 5 s of its dependency returning', () => {
    const b = new Backoff({}, () => 0.999999);
    const delays = Array.from({ length: 12 }, () => b.next());
    assert.equal(b.capMs, 5_000);
    assert.ok(Math.max(...delays) < 5_000, `${Math.max(...delays)}`);
    assert.ok(delays.at(-1)! > 4_900, `${delays.at(-1)}`);
  });
});
