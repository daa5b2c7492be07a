import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows the burst at once, then the rate', () => {
    const b = new TokenBucket(2, 3, 0);
    assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
    assert.equal(b.take(400), false, '0.8 tokens after 400 ms');
    assert.equal(b.take(500), true, 'one token after 500 ms at 2/s');
    assert.equal(b.take(500), false);
  });

  it('never holds more than the burst, and says when it is full again', () => {
    const b = new TokenBucket(10, 2, 0);
    assert.equal(b.take(0), true);
    assert.equal(b.full(50), false);
    assert.equal(b.full(100), true);
    assert.equal(b.take(60_000), true);
    assert.equal(b.take(60_000), true);
    assert.equal(b.take(60_000), false, 'idle time does not bank more than the burst');
  });

  it('ignores a clock that goes backwards', () => {
    const b = new TokenBucket(1, 1, 1_000);
    assert.equal(b.take(1_000), true);
    assert.equal(b.take(500), false);
    assert.equal(b.take(2_000), true);
  });
});
