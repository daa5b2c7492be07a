import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveHeartbeat, boundsFromAuthReply } from './heartbeat.js';

const GOIM = { minSec: 60, maxSec: 300, stepSec: 30 };

describe('AdaptiveHeartbeat', () => {
  it('starts at min and grows one step after every growAfter answered heartbeats, up to max', () => {
    const hb = new AdaptiveHeartbeat({ growAfter: 3 });
    hb.configure(GOIM);
    const seen = [hb.intervalMs];
    for (let i = 0; i < 30; i++) {
      hb.success();
      seen.push(hb.intervalMs);
    }
    assert.equal(seen[0], 60_000);
    assert.equal(seen[2], 60_000, 'two successes are not yet enough');
    assert.equal(seen[3], 90_000);
    assert.equal(seen[6], 120_000);
    assert.equal(Math.max(...seen), 300_000);
    assert.equal(seen.at(-1), 300_000, 'never above max');
  });

  it('halves after a missed reply (not below min) and then grows no further than a step below the failed interval', () => {
    const hb = new AdaptiveHeartbeat({ growAfter: 1 });
    hb.configure(GOIM);
    for (let i = 0; i < 4; i++) hb.success(); // 60 → 180
    assert.equal(hb.intervalMs, 180_000);
    hb.timeout();
    assert.equal(hb.intervalMs, 90_000);
    assert.equal(hb.ceiling, 150_000);
    for (let i = 0; i < 5; i++) hb.success();
    assert.equal(hb.intervalMs, 150_000, 'stops a step below where it failed');
    hb.timeout();
    hb.timeout();
    hb.timeout();
    assert.equal(hb.intervalMs, 60_000, 'never below min');
  });

  it('probes above the ceiling again after ten rounds of successes at it', () => {
    const hb = new AdaptiveHeartbeat({ growAfter: 2 });
    hb.configure(GOIM);
    for (let i = 0; i < 4; i++) hb.success(); // 120
    hb.timeout(); // 60, ceiling 90
    for (let i = 0; i < 2; i++) hb.success(); // 90
    assert.equal(hb.intervalMs, 90_000);
    for (let i = 0; i < 19; i++) hb.success();
    assert.equal(hb.intervalMs, 90_000, 'still held at the ceiling');
    assert.equal(hb.ceiling, 90_000);
    hb.success(); // the twentieth at the ceiling lifts it
    assert.equal(hb.ceiling, undefined);
    hb.success();
    hb.success();
    assert.equal(hb.intervalMs, 120_000);
  });

  it('shrinks back to min or by one step when told to', () => {
    const toMin = new AdaptiveHeartbeat({ growAfter: 1, shrink: 'min' });
    const byStep = new AdaptiveHeartbeat({ growAfter: 1, shrink: 'step' });
    for (const hb of [toMin, byStep]) {
      hb.configure(GOIM);
      for (let i = 0; i < 6; i++) hb.success(); // 240
      hb.timeout();
    }
    assert.equal(toMin.intervalMs, 60_000);
    assert.equal(byStep.intervalMs, 210_000);
  });

  it('waits for a reply at most replyTimeoutMs, and never longer than the interval', () => {
    const hb = new AdaptiveHeartbeat({ replyTimeoutMs: 5_000 });
    hb.configure(GOIM);
    assert.equal(hb.replyTimeoutMs, 5_000);
    const fast = new AdaptiveHeartbeat({ replyTimeoutMs: 5_000 });
    fast.configure({ minSec: 2, maxSec: 4, stepSec: 1 });
    assert.equal(fast.replyTimeoutMs, 2_000);
  });

  it('keeps what it learned across reconnects, clamped into the new bounds', () => {
    const hb = new AdaptiveHeartbeat({ growAfter: 1 });
    hb.configure(GOIM);
    for (let i = 0; i < 3; i++) hb.success(); // 150
    hb.configure(GOIM);
    assert.equal(hb.intervalMs, 150_000);
    hb.configure({ minSec: 10, maxSec: 100, stepSec: 10 });
    assert.equal(hb.intervalMs, 100_000);
    hb.configure({ minSec: 120, maxSec: 200, stepSec: 10 });
    assert.equal(hb.intervalMs, 120_000);
  });

  it('reads the bounds from the auth reply, with goim replies (no body) at the fallback', () => {
    assert.deepEqual(boundsFromAuthReply({ heartbeat: 300, heartbeat_min: 60, heartbeat_step: 30 }, 30), GOIM);
    assert.deepEqual(boundsFromAuthReply({}, 30), { minSec: 30, maxSec: 30, stepSec: 0 });
    assert.deepEqual(boundsFromAuthReply({ heartbeat: 120 }, 30), { minSec: 120, maxSec: 120, stepSec: 0 });
    assert.deepEqual(boundsFromAuthReply({ heartbeat: 100, heartbeat_min: 500, heartbeat_step: 'x' }, 30), { minSec: 100, maxSec: 100, stepSec: 0 });
  });
});
