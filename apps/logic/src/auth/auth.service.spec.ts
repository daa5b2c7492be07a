import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Env, GrpcStatus, type RpcError } from '@imgate/common';
import { rsaKeyPair, signHs256, signJwt, signRs256, TEST_JWT_SECRET } from '@imgate/testing';
import { AuthService } from './auth.service';
import { loadJwtConfig } from './jwt.config';
import type { LogicConfig } from '../logic.config';

const logger = pino({ level: 'silent' });
const body = (o: object) => Buffer.from(JSON.stringify(o));
const keys = rsaKeyPair();

interface Setup {
  mode?: 'jwt' | 'dev';
  jwtSecret?: string;
  jwtPublicKey?: string;
  issuer?: string;
  audience?: string;
  env?: Record<string, string>;
}

function service(o: Setup): AuthService {
  const env = new Env({
    ...(o.jwtSecret ? { LOGIC_JWT_SECRET: o.jwtSecret } : {}),
    ...(o.jwtPublicKey ? { LOGIC_JWT_PUBLIC_KEY: o.jwtPublicKey } : {}),
    ...(o.issuer ? { LOGIC_JWT_ISSUER: o.issuer } : {}),
    ...(o.audience ? { LOGIC_JWT_AUDIENCE: o.audience } : {}),
    ...o.env,
  });
  const mode = o.mode ?? 'jwt';
  const config = { auth: { mode, jwt: loadJwtConfig(env, mode === 'jwt') } } as LogicConfig;
  return new AuthService(config, logger);
}

async function rejects(p: Promise<unknown>, code: GrpcStatus, reason: RegExp): Promise<void> {
  await assert.rejects(p, (err: RpcError) => err.code === code && reason.test(err.message));
}

describe('AuthService', () => {
  it('accepts an HS256 token and takes the user id from "mid" or "sub"', async () => {
    const auth = service({ jwtSecret: TEST_JWT_SECRET });
    const a = await auth.authenticate(body({ token: await signHs256({ mid: 42 }), room_id: 'live://1', accepts: [1000], platform: 'web' }));
    assert.deepEqual({ ...a, key: 'x', token: undefined }, { mid: 42, key: 'x', roomId: 'live://1', platform: 'web', accepts: [1000], delivery: false, device: 'web', token: undefined });
    assert.equal(a.token?.iat !== undefined && a.token.iat > 0, true);
    assert.match(a.key, /^[0-9a-f-]{36}$/);
    const b = await auth.authenticate(body({ token: await signHs256({ sub: '77' }) }));
    assert.equal(b.mid, 77);
  });

  it('accepts an RS256 token signed by the configured key pair', async () => {
    const auth = service({ jwtPublicKey: keys.publicPem });
    const a = await auth.authenticate(body({ token: await signRs256({ mid: 5 }, keys.privatePem) }));
    assert.equal(a.mid, 5);
  });

  it('refuses an algorithm that is not configured, a forged signature, and an expired token', async () => {
    const rsOnly = service({ jwtPublicKey: keys.publicPem });
    await rejects(rsOnly.authenticate(body({ token: await signHs256({ mid: 1 }) })), GrpcStatus.UNAUTHENTICATED, /HS256 is not accepted/);
    const other = rsaKeyPair();
    await rejects(rsOnly.authenticate(body({ token: await signRs256({ mid: 1 }, other.privatePem) })), GrpcStatus.UNAUTHENTICATED, /signature/);
    const hs = service({ jwtSecret: TEST_JWT_SECRET });
    await rejects(hs.authenticate(body({ token: await signHs256({ mid: 1 }, TEST_JWT_SECRET, '-2m') })), GrpcStatus.UNAUTHENTICATED, /expired/);
  });

  it('refuses a token without exp as auth_failed (UNAUTHENTICATED), and a JWKS it cannot reach as UNAVAILABLE (the client retries)', async () => {
    const hs = service({ jwtSecret: TEST_JWT_SECRET });
    await rejects(hs.authenticate(body({ token: await signJwt({ mid: 1 }, { alg: 'HS256', key: TEST_JWT_SECRET, exp: null }) })), GrpcStatus.UNAUTHENTICATED, /^token has no exp$/);
    // Port 9 (discard) on loopback: nothing listens, the fetch is refused at once.
    const jwks = service({ env: { LOGIC_JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json', LOGIC_JWT_JWKS_TIMEOUT_MS: '1000' } });
    const es = rsaKeyPair();
    await rejects(jwks.authenticate(body({ token: await signJwt({ mid: 1 }, { alg: 'RS256', key: es.privatePem, kid: 'k1' }) })), GrpcStatus.UNAVAILABLE, /JWKS http:\/\/127\.0\.0\.1:9\/jwks\.json could not be fetched/);
  });

  it('checks issuer and audience when configured', async () => {
    const auth = service({ jwtSecret: TEST_JWT_SECRET, issuer: 'shop', audience: 'im' });
    await rejects(auth.authenticate(body({ token: await signHs256({ mid: 1 }) })), GrpcStatus.UNAUTHENTICATED, /iss/);
    const ok = await auth.authenticate(body({ token: await signHs256({ mid: 1, iss: 'shop', aud: 'im' }) }));
    assert.equal(ok.mid, 1);
  });

  it('never lets a verified client pick its connection key', async () => {
    const auth = service({ jwtSecret: TEST_JWT_SECRET });
    const a = await auth.authenticate(body({ token: await signHs256({ mid: 3 }), key: 'someone-elses-key' }));
    assert.notEqual(a.key, 'someone-elses-key');
  });

  it('trusts mid and key only in dev mode', async () => {
    const dev = service({ mode: 'dev' });
    const a = await dev.authenticate(body({ mid: 123, key: 'k1', room_id: 'live://1000', platform: 'web', accepts: [1000, 1001, 1002] }));
    assert.equal(a.mid, 123);
    assert.equal(a.key, 'k1');
    await rejects(dev.authenticate(body({ room_id: 'x' })), GrpcStatus.UNAUTHENTICATED, /mid is required/);
    const jwt = service({ jwtSecret: TEST_JWT_SECRET });
    await rejects(jwt.authenticate(body({ mid: 123 })), GrpcStatus.UNAUTHENTICATED, /token is required/);
  });

  it('rejects malformed bodies with a reason naming the field', async () => {
    const dev = service({ mode: 'dev' });
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('{'), /not JSON/],
      [body([1]), /JSON object/],
      [body({ mid: -1 }), /mid must be a non-negative integer/],
      [body({ mid: 1, accepts: [5] }), /accepts holds 5/],
      [body({ mid: 1, accepts: 'all' }), /accepts must be an array/],
      [body({ mid: 1, room_id: 'x'.repeat(200) }), /room_id/],
      [body({ mid: 1, key: 'has space' }), /key must be/],
      [body({ mid: 1, platform: 7 }), /platform/],
      [body({ mid: 1, resume: 42 }), /resume must be the token/],
      [body({ mid: 1, resume: 'x'.repeat(300) }), /resume must be the token/],
      [Buffer.alloc(9000, 32), /limit 8192/],
    ];
    for (const [bytes, reason] of cases) await rejects(dev.authenticate(bytes), GrpcStatus.INVALID_ARGUMENT, reason);
  });
});
