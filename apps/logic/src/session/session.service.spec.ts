import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createMetricsRegistry, Env, GrpcStatus, type RpcError } from '@imgate/common';
import { signHs256, TEST_JWT_SECRET } from '@imgate/testing';
import { AuthService } from '../auth/auth.service';
import { memoryResume } from '../connections/resume.fixture';
import { MemoryStreamRepository } from '../delivery/memory-stream.repository';
import { loadLogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { accessFixture } from '../access/access.fixture';
import { MemorySessionRepository } from './memory-session.repository';
import { SessionService } from './session.service';

const logger = pino({ level: 'silent' });
const body = (o: object) => Buffer.from(JSON.stringify(o));
const ADDR = { clientIp: '127.0.0.1', clientPort: 4000, transport: 'ws' };

function setup(env: Record<string, string> = { LOGIC_AUTH_MODE: 'dev' }) {
  const clock = { now: () => Date.UTC(2026, 5, 1) };
  const config = loadLogicConfig(new Env({ LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none', IMGATE_ALLOW_DEV_AUTH: '1', ...env }));
  const streams = new MemoryStreamRepository(clock);
  const metrics = new LogicMetrics(createMetricsRegistry());
  const sessions = new MemorySessionRepository(clock);
  const { resume, records, kicks } = memoryResume(config, clock, metrics);
  const { access } = accessFixture(config, clock, sessions);
  const service = new SessionService(new AuthService(config, logger), sessions, streams, config, logger, metrics, resume, access);
  return { service, streams, records, kicks, clock, sessions };
}

describe('SessionService.connect', () => {
  it('leaves the reply as goim\'s without the delivery opt-in', async () => {
    const { service } = setup();
    const reply = await service.connect('comet-a', body({ mid: 1, room_id: 'live://1' }), ADDR);
    assert.equal(reply.delivery, undefined);
    assert.equal(reply.device, undefined);
    assert.equal(reply.heads, undefined);
  });

  it('with delivery: the device and the heads of the user\'s and the auth room\'s streams', async () => {
    const { service, streams } = setup();
    const [u] = await streams.append([1n, 2n].map((id) => ({ stream: 'u:1', id, operation: 1000, body: Buffer.alloc(0) })));
    const reply = await service.connect('comet-a', body({ mid: 1, room_id: 'live://1', platform: 'ios', delivery: true, device: 'iphone-1' }), ADDR);
    assert.equal(reply.delivery, true);
    assert.equal(reply.device, 'iphone-1');
    assert.deepEqual(reply.heads, [
      { stream: 'u:1', epoch: u.epoch, head: 2 },
      { stream: 'r:live://1', epoch: 0, head: 0 },
    ]);
    assert.equal((await service.connect('comet-a', body({ mid: 1, platform: 'ios', delivery: true }), ADDR)).device, 'ios');
    assert.equal((await service.connect('comet-a', body({ mid: 1, delivery: true }), ADDR)).device, 'default');
  });

  it('with LOGIC_STREAMS=off ignores the opt-in: goim\'s reply', async () => {
    const { service } = setup({ LOGIC_AUTH_MODE: 'dev', LOGIC_STREAMS: 'off' });
    const reply = await service.connect('comet-a', body({ mid: 1, room_id: 'live://1', delivery: true, device: 'd1' }), ADDR);
    assert.deepEqual([reply.mid, reply.delivery, reply.device, reply.heads], [1, undefined, undefined, undefined]);
  });

  it('refuses a LOGIC_STREAMS that is neither on nor off, naming it', () => {
    assert.throws(() => setup({ LOGIC_AUTH_MODE: 'dev', LOGIC_STREAMS: 'yes' }), /LOGIC_STREAMS/);
  });

  it('takes the token\'s device claim when the body names none', async () => {
    const { service } = setup({ LOGIC_AUTH_MODE: 'jwt', LOGIC_JWT_SECRET: TEST_JWT_SECRET });
    const reply = await service.connect('comet-a', body({ token: await signHs256({ mid: 4, device: 'tablet' }), platform: 'web', delivery: true }), ADDR);
    assert.equal(reply.device, 'tablet');
    assert.deepEqual(reply.heads?.map((h) => h.stream), ['u:4']);
  });

  it('refuses a bad device or delivery flag with a reason', async () => {
    const { service } = setup();
    for (const [o, reason] of [[{ device: 'x'.repeat(65) }, /device/], [{ device: 'two words' }, /device/], [{ delivery: 'yes' }, /delivery/]] as const) {
      await assert.rejects(service.connect('comet-a', body({ mid: 1, delivery: true, ...o }), ADDR), (err: RpcError) => err.code === GrpcStatus.INVALID_ARGUMENT && reason.test(err.message));
    }
  });
});

describe('SessionService: LOGIC_MAX_KEYS_PER_MID', () => {
  it('refuses a new key past the bound with RESOURCE_EXHAUSTED, lets a known key reconnect, and counts stale keys out', async () => {
    const { service, sessions } = setup({ LOGIC_AUTH_MODE: 'dev', LOGIC_MAX_KEYS_PER_MID: '2' });
    await service.connect('comet-a', body({ mid: 5, key: 'a' }), ADDR);
    await service.connect('comet-a', body({ mid: 5, key: 'b' }), ADDR);
    await assert.rejects(service.connect('comet-a', body({ mid: 5, key: 'c' }), ADDR), (err: RpcError) => err.code === GrpcStatus.RESOURCE_EXHAUSTED && /LOGIC_MAX_KEYS_PER_MID/.test(err.message));
    await service.connect('comet-b', body({ mid: 5, key: 'b' }), ADDR);
    await service.connect('comet-a', body({ mid: 6, key: 'c' }), ADDR);
    // Key a's connection record moved away (its comet is gone): the user's entry for it is stale and pruned.
    await sessions.add(0, 'a', 'comet-z', 60);
    await service.connect('comet-a', body({ mid: 5, key: 'd' }), ADDR);
    assert.deepEqual([...((await sessions.keysByMids([5])).get(5)?.keys() ?? [])].sort(), ['b', 'd']);
  });
});
