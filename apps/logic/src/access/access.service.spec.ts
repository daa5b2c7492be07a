import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import pino from 'pino';
import { createMetricsRegistry, Env, GrpcStatus, type RpcError } from '@imgate/common';
import { signHs256, TEST_JWT_SECRET } from '@imgate/testing';
import { AuthService } from '../auth/auth.service';
import { MemoryStreamRepository } from '../delivery/memory-stream.repository';
import { loadLogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { MemorySessionRepository } from '../session/memory-session.repository';
import { SessionService } from '../session/session.service';
import { memoryResume } from '../connections/resume.fixture';
import { accessFixture } from './access.fixture';
import { permissionsFor } from './permissions';

const logger = pino({ level: 'silent' });
const body = (o: object) => Buffer.from(JSON.stringify(o));
const flush = () => new Promise((r) => setTimeout(r, 10));

function setup(env: Record<string, string> = {}) {
  const clock = { t: Date.UTC(2026, 5, 1), now() { return this.t; } };
  const config = loadLogicConfig(new Env({ LOGIC_AUTH_MODE: 'jwt', LOGIC_JWT_SECRET: TEST_JWT_SECRET, LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none', ...env }));
  const sessions = new MemorySessionRepository(clock);
  const fx = accessFixture(config, clock, sessions);
  const metrics = new LogicMetrics(createMetricsRegistry());
  const { resume } = memoryResume(config, clock, metrics);
  const service = new SessionService(new AuthService(config, logger), sessions, new MemoryStreamRepository(clock), config, logger, metrics, resume, fx.access);
  const connect = async (claims: Record<string, unknown>, auth: Record<string, unknown> = {}, server = 'comet-a') =>
    service.connect(server, body({ token: await signHs256(claims), ...auth }), { clientIp: '127.0.0.1', clientPort: 0, transport: 'ws' });
  return { ...fx, service, sessions, clock, config, connect };
}

async function refused(p: Promise<unknown>, code: GrpcStatus, reason: RegExp): Promise<void> {
  await assert.rejects(p, (err: RpcError) => err.code === code && reason.test(err.message));
}

describe('permissions from token claims', () => {
  const config = (env: Record<string, string> = {}) => loadLogicConfig(new Env({ LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none', ...env })).access;

  it('reads rooms and ops (both directions, or send/sub apart); no claims and allow: no permissions at all', () => {
    assert.equal(permissionsFor(undefined, config()), undefined);
    assert.equal(permissionsFor({}, config()), undefined);
    assert.deepEqual(permissionsFor({ rooms: ['live://*'], ops: [1000, 1000, 1001] }, config()), {
      rooms: ['live://*'], roomsLimited: true, sendLimited: true, sendOps: [1000, 1001], subLimited: true, subOps: [1000, 1001], joinHook: false,
    });
    const split = permissionsFor({ ops: { send: [4, 1002] } }, config());
    assert.deepEqual([split?.sendOps, split?.subLimited, split?.roomsLimited], [[4, 1002], undefined, false]);
  });

  it('follows LOGIC_ROOMS_DEFAULT / LOGIC_OPS_DEFAULT=deny without claims, and marks a join hook', () => {
    const p = permissionsFor(undefined, config({ LOGIC_ROOMS_DEFAULT: 'deny', LOGIC_OPS_DEFAULT: 'deny', LOGIC_JOIN_HOOK_URL: 'http://127.0.0.1:1/hook' }));
    assert.deepEqual(p, { rooms: [], roomsLimited: true, sendLimited: true, sendOps: [], subLimited: true, subOps: [], joinHook: true });
    assert.throws(() => config({ LOGIC_ROOMS_DEFAULT: 'maybe' }), /LOGIC_ROOMS_DEFAULT/);
  });

  it('refuses malformed claims rather than guessing', () => {
    for (const claims of [{ rooms: 'live://*' }, { rooms: [''] }, { ops: [999] }, { ops: 'all' }, { ops: { sub: [4] } }]) {
      assert.throws(() => permissionsFor(claims, config()), (err: RpcError) => err.code === GrpcStatus.UNAUTHENTICATED && /claim/.test(err.message));
    }
  });
});

describe('AccessService at connect', () => {
  it('refuses an auth room or accepts outside the token and returns the permissions to the comet', async () => {
    const { connect } = setup();
    await refused(connect({ mid: 1, rooms: ['live://*'] }, { room_id: 'game://1' }), GrpcStatus.PERMISSION_DENIED, /room game:\/\/1 is not permitted/);
    await refused(connect({ mid: 1, ops: [1000] }, { accepts: [1000, 1001] }), GrpcStatus.PERMISSION_DENIED, /operation 1001/);
    const reply = await connect({ mid: 1, rooms: ['live://*'], ops: [1000] }, { room_id: 'live://7', accepts: [1000] });
    assert.equal(reply.permissions?.roomsLimited, true);
    assert.deepEqual(reply.permissions?.rooms, ['live://*']);
    assert.equal((await connect({ mid: 1 }, { room_id: 'any://1' })).permissions, undefined);
  });

  it('one per platform: the newest wins, the older on that platform is kicked, other platforms stay', async () => {
    const { connect, kicked, clock } = setup({ LOGIC_ONE_PER_PLATFORM: '1' });
    const a = await connect({ mid: 5 }, { platform: 'ios' }, 'comet-a');
    clock.t += 1;
    await connect({ mid: 5 }, { platform: 'web' }, 'comet-b');
    clock.t += 1;
    const c = await connect({ mid: 5 }, { platform: 'ios' }, 'comet-b');
    await flush();
    assert.deepEqual(kicked, [{ server: 'comet-a', keys: [a.key], mids: [], kind: 'login_elsewhere', reason: 'logged in again on platform "ios"' }]);
    assert.notEqual(c.key, a.key);
  });

  it('two logins racing on one platform do not kick each other: only the older one goes', async () => {
    const { policy, logins, sessions, kicked, clock } = setup({ LOGIC_ONE_PER_PLATFORM: '1' });
    const at = clock.now();
    for (const key of ['k-a', 'k-b']) {
      await sessions.add(9, key, 'comet-a', 60);
      await logins.add(9, key, { server: 'comet-a', platform: 'ios', iat: 0, at }, 60, 60);
    }
    // Both applied after both records exist (the race): the tie goes by key.
    await Promise.all([policy.apply(9, 'k-a', 'ios', at), policy.apply(9, 'k-b', 'ios', at)]);
    assert.deepEqual(kicked.map((k) => k.keys), [['k-a']]);
  });

  it('per-user cap: the oldest connections are kicked, never the newcomer', async () => {
    const { connect, kicked, clock } = setup({ LOGIC_MAX_CONNS_PER_MID: '2' });
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      keys.push(String((await connect({ mid: 6 })).key));
      clock.t += 1;
      await flush();
    }
    assert.deepEqual(kicked.map((k) => [k.keys, k.kind]), [[[keys[0]], 'too_many_connections']]);
  });

  it('revocation by jti and by mid+before kicks live connections and refuses the token afterwards', async () => {
    const { connect, revoke, kicked, clock, service } = setup();
    const nowSec = Math.floor(clock.now() / 1000);
    const claims = { mid: 8, jti: 'tok-1', iat: nowSec - 10, exp: nowSec + 600 };
    const a = await connect(claims);
    await connect({ mid: 8, jti: 'tok-2', iat: nowSec - 10, exp: nowSec + 600 });
    assert.deepEqual(await revoke.revoke({ jti: 'tok-1' }), { closed: 1 });
    assert.deepEqual(kicked.at(-1), { server: 'comet-a', keys: [a.key], mids: [], kind: 'revoked', reason: 'token revoked' });
    await refused(connect(claims), GrpcStatus.UNAUTHENTICATED, /^token revoked$/);
    // The comet closed it: its Disconnect removes the session and the login record.
    assert.equal(await service.disconnect(8, String(a.key), 'comet-a'), true);
    // Tokens carry the real time as iat (signHs256 sets it): the cut is 2 s ahead of it.
    const realNow = Math.floor(Date.now() / 1000);
    assert.deepEqual(await revoke.revoke({ mid: 8, before: realNow + 2 }), { closed: 1 });
    await refused(connect({ mid: 8 }), GrpcStatus.UNAUTHENTICATED, /issued before/);
    // Issued after the cut: accepted.
    const later = await new SignJWT({ mid: 8 }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(realNow + 3).setExpirationTime(realNow + 600).sign(createSecretKey(Buffer.from(TEST_JWT_SECRET)));
    assert.equal((await service.connect('comet-a', body({ token: later }), { clientIp: '', clientPort: 0, transport: 'ws' })).mid, 8);
    await refused(revoke.revoke({}), GrpcStatus.INVALID_ARGUMENT, /give jti/);
  });

  it('the join hook decides the auth room: allow, deny with its reason, down = unavailable (fail closed); answers are cached', async () => {
    let calls = 0;
    let down = false;
    const hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        calls++;
        if (down) return res.destroy();
        const j = JSON.parse(raw) as { room: string; mid: number; platform: string };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(j.room === 'live://ok' ? { allow: true } : { allow: false, reason: `no ${j.room} for ${j.mid} on ${j.platform}` }));
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/join`;
    try {
      const { connect, access } = setup({ LOGIC_JOIN_HOOK_URL: url });
      assert.equal((await connect({ mid: 2 }, { room_id: 'live://ok' })).permissions?.joinHook, true);
      await refused(connect({ mid: 2 }, { room_id: 'live://no', platform: 'web' }), GrpcStatus.PERMISSION_DENIED, /no live:\/\/no for 2 on web/);
      await connect({ mid: 2 }, { room_id: 'live://ok' });
      assert.equal(calls, 2);
      down = true;
      const d = await access.authorizeJoin({ mid: 3, key: 'k', room: 'live://x', platform: '' });
      assert.equal(d.allow, false);
      assert.match(d.reason, /join hook unreachable.*fail closed/);
      await refused(connect({ mid: 3 }, { room_id: 'live://y' }), GrpcStatus.UNAVAILABLE, /join hook/);
    } finally {
      hook.close();
    }
  });
});
