import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createMetricsRegistry, Env } from '@imgate/common';
import { type CometAnnouncement, MemoryCometRegistry, MemoryOnlineRepository } from '@imgate/store';
import { loadLogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { MemorySessionRepository } from './memory-session.repository';
import { SessionSweeper } from './session-sweeper';

const comet = (over: Partial<CometAnnouncement> = {}): CometAnnouncement => ({
  id: 'c1', grpc: 'c1:3109', ws: '', tcp: '', kcp: '', wss: '', tls: '', weight: 1, region: '', connections: 0, draining: false, ...over,
});

function setup() {
  const clock = { t: 1_000, now() { return this.t; } };
  const sessions = new MemorySessionRepository(clock);
  const registry = new MemoryCometRegistry(60_000, clock);
  const config = loadLogicConfig(new Env({ LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none' }));
  const sweeper = new SessionSweeper(sessions, registry, new MemoryOnlineRepository(clock), config, clock, pino({ level: 'silent' }), new LogicMetrics(createMetricsRegistry()));
  return { clock, sessions, registry, sweeper };
}

describe('SessionSweeper and a comet restarted under the same id', () => {
  it('removes the sessions written before the new process started, keeps the ones written since (a resumed key among them), once per incarnation', async () => {
    const { clock, sessions, registry, sweeper } = setup();
    await registry.register(comet({ boot: 'a', bootAt: 500 }));
    await sessions.add(1, 'old-1', 'c1', 600);
    await sessions.add(2, 'old-2', 'c1', 600);
    await sessions.add(3, 'resumed', 'c1', 600);
    await sweeper.sweep();
    assert.equal((await sessions.keysByMids([1, 2, 3])).size, 3, 'the first incarnation keeps its own sessions');

    // SIGKILL and restart under the same id: a new incarnation at 2,000; one client resumes its key.
    clock.t = 2_000;
    await registry.register(comet({ boot: 'b', bootAt: 2_000 }));
    clock.t = 2_100;
    await sessions.add(3, 'resumed', 'c1', 600);
    await sessions.add(4, 'new', 'c1', 600);
    await sweeper.sweep();
    const left = await sessions.keysByMids([1, 2, 3, 4]);
    assert.deepEqual([...left.keys()].sort(), [3, 4]);
    assert.deepEqual(await sessions.serversByKeys(['old-1', 'old-2', 'resumed', 'new']), [null, null, 'c1', 'c1']);
    assert.equal((await sessions.cleanedBoots()).get('c1'), 'b');

    // Once per incarnation: an entry stamped before the start (a logic whose clock lags) written
    // after the purge is not swept by later passes.
    clock.t = 1_500;
    await sessions.add(5, 'late', 'c1', 600);
    await sweeper.sweep();
    assert.deepEqual(await sessions.serversByKeys(['late']), ['c1']);
  });

  it('leaves alone comets without an incarnation (older comets)', async () => {
    const { sessions, registry, sweeper } = setup();
    await registry.register(comet());
    await sessions.add(1, 'k', 'c1', 600);
    await sweeper.sweep();
    assert.deepEqual(await sessions.serversByKeys(['k']), ['c1']);
  });
});
