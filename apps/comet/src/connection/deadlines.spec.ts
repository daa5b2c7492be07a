import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Buckets } from '../bucket/buckets';
import type { Channel } from '../bucket/channel';
import type { SessionRenewals } from '../logic/session-renewals';
import { Deadlines, ticksOf } from './deadlines';

function channel(key: string, swept: Map<string, number[]>): Channel & { sweep(now: number): void } {
  return {
    key,
    mid: 1,
    roomId: '',
    roomList: () => [],
    accepts: new Set(),
    checksum: false,
    remoteAddress: '',
    transport: 'tcp',
    deliver: () => true,
    close: () => undefined,
    sweep: (now) => swept.set(key, [...(swept.get(key) ?? []), now]),
  };
}

describe('Deadlines', () => {
  it('spreads the sweep over the period: every channel and every pending connection is checked once per period', () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const buckets = new Buckets({ buckets: 4 });
      let flushes = 0;
      const renewals = { flush: () => flushes++ } as unknown as SessionRenewals;
      const deadlines = new Deadlines({ handshakeTimeoutMs: 2_000, buckets: 4 }, buckets, renewals);
      assert.equal(deadlines.periodMs, 500);
      const swept = new Map<string, number[]>();
      for (let i = 0; i < 40; i++) buckets.put(channel(`k${i}`, swept));
      const pending = channel('pending', swept);
      deadlines.watch(pending);
      deadlines.onApplicationBootstrap();
      mock.timers.tick(deadlines.periodMs);
      assert.equal(swept.size, 41);
      for (const [key, times] of swept) assert.equal(times.length, 1, `${key} swept once in one period`);
      mock.timers.tick(deadlines.periodMs);
      for (const [key, times] of swept) assert.equal(times.length, 2, `${key} swept again in the next period`);
      assert.ok(flushes >= 8, 'renewals are flushed after every tick');
      deadlines.unwatch(pending);
      mock.timers.tick(deadlines.periodMs);
      assert.equal(swept.get('pending')!.length, 2);
      deadlines.onApplicationShutdown();
    } finally {
      mock.timers.reset();
    }
  });

  it('checks deadlines at least four times within the shortest one, never more often than every 100 ms', () => {
    const renewals = { flush: () => undefined } as unknown as SessionRenewals;
    const period = (handshakeTimeoutMs: number) => new Deadlines({ handshakeTimeoutMs, buckets: 32 }, new Buckets({ buckets: 32 }), renewals).periodMs;
    assert.equal(period(10_000), 750);
    assert.equal(period(1_500), 375);
    assert.equal(period(100), 100);
    assert.equal(ticksOf(1), 1);
    assert.equal(ticksOf(100), 1);
    assert.equal(ticksOf(101), 2);
  });
});
