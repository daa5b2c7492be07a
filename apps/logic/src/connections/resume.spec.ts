import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createMetricsRegistry, Env } from '@imgate/common';
import { AuthService } from '../auth/auth.service';
import { MemoryStreamRepository } from '../delivery/memory-stream.repository';
import { loadLogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { MemorySessionRepository } from '../session/memory-session.repository';
import { SessionService } from '../session/session.service';
import { ConnectionsService } from './connections.service';
import { accessFixture } from '../access/access.fixture';
import { memoryResume } from './resume.fixture';
import { parseToken } from './resume-token';

const logger = pino({ level: 'silent' });
const body = (o: object) => Buffer.from(JSON.stringify(o));
const at = (ip: string, transport = 'ws') => ({ clientIp: ip, clientPort: 5000, transport });

function setup(env: Record<string, string> = {}) {
  const clock = { ms: Date.UTC(2026, 5, 1), now: () => clock.ms };
  const config = loadLogicConfig(new Env({ LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none', ...env }));
  const metrics = new LogicMetrics(createMetricsRegistry());
  const sessions = new MemorySessionRepository(clock);
  const { resume, records, kicks } = memoryResume(config, clock, metrics);
  const { access } = accessFixture(config, clock, sessions);
  const service = new SessionService(new AuthService(config, logger), sessions, new MemoryStreamRepository(clock), config, logger, metrics, resume, access);
  const connections = new ConnectionsService(sessions, records);
  return { service, connections, resume, kicks, clock };
}

describe('session resume', () => {
  it('gives a token at auth, and a resume on another comet gets the key, rooms and accepts back once', async () => {
    const { service, connections, kicks } = setup();
    const first = await service.connect('comet-a', body({ mid: 5, room_id: 'live://1', accepts: [1000], platform: 'ios' }), at('10.0.0.5'));
    assert.equal(first.resumeTtlSec, 60);
    assert.equal(parseToken(first.resume ?? '')?.key, first.key);
    await connections.update('comet-a', [{ key: first.key!, roomId: 'live://2', rooms: ['chat://9'], accepts: [1000, 1001] }]);
    // A room change reported by a comet that does not hold the key is ignored.
    assert.equal(await connections.update('comet-x', [{ key: first.key!, roomId: 'live://3', rooms: [], accepts: [] }]), 0);

    const again = await service.connect('comet-b', body({ mid: 5, room_id: 'live://1', accepts: [1000], resume: first.resume }), at('10.0.0.6', 'tcp'));
    assert.equal(again.resumed, true);
    assert.equal(again.key, first.key);
    assert.equal(again.roomId, 'live://2');
    assert.deepEqual(again.rooms, ['chat://9']);
    assert.deepEqual(again.accepts, [1000, 1001]);
    assert.equal(again.platform, 'ios');
    assert.notEqual(again.resume, first.resume, 'the token rotates');
    assert.deepEqual(kicks, [`comet-a ${first.key} replaced`]);
    const [view] = await connections.list([5]);
    assert.deepEqual([view.comet, view.ip, view.transport, view.rooms, view.resumed], ['comet-b', '10.0.0.6', 'tcp', ['live://2', 'chat://9'], true]);

    const replay = await service.connect('comet-c', body({ mid: 5, resume: first.resume }), at('10.0.0.7'));
    assert.equal(replay.resumed, undefined, 'a spent token is refused');
    assert.notEqual(replay.key, first.key);
  });

  it('a late renewal from the old comet does not pull the route of a resumed session back', async () => {
    const { service, connections } = setup();
    const first = await service.connect('comet-a', body({ mid: 5 }), at('10.0.0.5'));
    await service.connect('comet-b', body({ mid: 5, resume: first.resume }), at('10.0.0.6'));
    assert.deepEqual(await service.renew('comet-a', [{ mid: 5, key: first.key! }]), { renewed: 0, restored: 0 });
    assert.deepEqual((await connections.list([5])).map((v) => v.comet), ['comet-b']);
    await service.disconnect(5, first.key!, 'comet-a');
    assert.deepEqual((await connections.list([5])).map((v) => v.comet), ['comet-b'], 'nor does its late disconnect remove it');
  });

  it('another user cannot take the session, nor spend its token', async () => {
    const { service } = setup();
    const first = await service.connect('comet-a', body({ mid: 5 }), at('10.0.0.5'));
    const thief = await service.connect('comet-b', body({ mid: 6, resume: first.resume }), at('10.9.9.9'));
    assert.equal(thief.resumed, undefined);
    assert.notEqual(thief.key, first.key);
    const owner = await service.connect('comet-b', body({ mid: 5, resume: first.resume }), at('10.0.0.5'));
    assert.equal(owner.resumed, true);
  });

  it('holds pushes by key while the connection is away, and only within the window', async () => {
    const { service, resume, clock } = setup({ LOGIC_RESUME_WINDOW_SEC: '30' });
    const first = await service.connect('comet-a', body({ mid: 5 }), at('10.0.0.5'));
    const push = { operation: 1000, body: Buffer.from('while away'), messageId: '77', acceptedAtMs: clock.ms };
    assert.deepEqual(await resume.hold([first.key!], push), [], 'a live connection takes its pushes itself');
    await service.disconnect(5, first.key!, 'comet-a');
    assert.deepEqual(await resume.hold([first.key!, 'nobody'], push), [first.key]);
    const back = await service.connect('comet-b', body({ mid: 5, resume: first.resume }), at('10.0.0.5'));
    assert.equal(back.resumed, true);
    assert.deepEqual(back.held?.map((h) => [h.operation, Buffer.from(h.body as Uint8Array).toString(), h.messageId]), [[1000, 'while away', '77']]);

    await service.disconnect(5, back.key!, 'comet-b');
    clock.ms += 31_000;
    const late = await service.connect('comet-a', body({ mid: 5, resume: back.resume }), at('10.0.0.5'));
    assert.equal(late.resumed, undefined, 'past the window the session is gone');
  });

  it('is off with LOGIC_RESUME_WINDOW_SEC=0: no token', async () => {
    const { service } = setup({ LOGIC_RESUME_WINDOW_SEC: '0' });
    const reply = await service.connect('comet-a', body({ mid: 5 }), at('10.0.0.5'));
    assert.equal(reply.resume, undefined);
  });
});
