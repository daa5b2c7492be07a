import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionRates } from './connection-rates';

describe('ConnectionRates', () => {
  const config = { upstream: { rate: 10, burst: 3 }, roomOps: { rate: 1, burst: 1 }, strikes: 2 };

  it('keeps a bucket per kind', () => {
    const r = new ConnectionRates(config);
    assert.deepEqual([r.allow('upstream', 0), r.allow('upstream', 0), r.allow('upstream', 0), r.allow('upstream', 0)], [true, true, true, false]);
    assert.equal(r.allow('room_ops', 0), true, 'room changes have their own bucket');
    assert.equal(r.allow('room_ops', 0), false);
    assert.equal(r.allow('upstream', 100), true, 'refilled at 10/s');
  });

  it('runs out of strikes under sustained refusals, and regains them at 1/s', () => {
    const r = new ConnectionRates(config);
    assert.equal(r.strike(0), true);
    assert.equal(r.strike(0), true);
    assert.equal(r.strike(0), false);
    assert.equal(r.strike(1_000), true);
  });

  it('a rate of 0 or no strikes turns that limit off', () => {
    const r = new ConnectionRates({ upstream: { rate: 0, burst: 1 }, roomOps: { rate: 0, burst: 1 }, strikes: 0 });
    for (let i = 0; i < 100; i++) {
      assert.equal(r.allow('upstream', 0), true);
      assert.equal(r.allow('room_ops', 0), true);
      assert.equal(r.strike(0), true);
    }
  });
});
