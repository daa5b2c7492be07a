import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Env } from '@imgate/common';
import { keyPair, signJwt } from '@imgate/testing';
import { loadJwtConfig } from './jwt.config';
import { TokenRefused, TokenVerifier } from './token-verifier';

const dir = mkdtempSync(join(tmpdir(), 'imgate-jwt-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

const NOW = 1_800_000_000;
const verifier = (env: Record<string, string>) => new TokenVerifier(loadJwtConfig(new Env(env), true), () => NOW);
const secret = randomBytes(32).toString('hex');
const other = randomBytes(32).toString('hex');

async function refused(v: TokenVerifier, token: Promise<string>, reason: RegExp): Promise<void> {
  await assert.rejects(v.verify(await token), (err: unknown) => err instanceof TokenRefused && reason.test(err.message));
}

describe('TokenVerifier', () => {
  it('insists on exp; with LOGIC_JWT_MAX_AGE_SEC also on a recent iat; allows the clock skew', async () => {
    const v = verifier({ LOGIC_JWT_SECRET: secret, LOGIC_JWT_CLOCK_SKEW_SEC: '10' });
    const hs = { alg: 'HS256', key: secret } as const;
    await refused(v, signJwt({ mid: 1 }, { ...hs, exp: null }), /^token has no exp$/);
    await refused(v, signJwt({ mid: 1 }, { ...hs, iat: NOW - 100, exp: NOW - 11 }), /^token expired$/);
    assert.equal((await v.verify(await signJwt({ mid: 1 }, { ...hs, iat: NOW - 100, exp: NOW - 9 }))).mid, 1, 'within the skew');
    await refused(v, signJwt({ mid: 1 }, { ...hs, iat: NOW + 60, exp: NOW + 600 }), /issued in the future/);
    // No max age: an old iat, or none, is fine while exp holds.
    assert.equal((await v.verify(await signJwt({ mid: 1 }, { ...hs, iat: null, exp: NOW + 60 }))).mid, 1);

    const aged = verifier({ LOGIC_JWT_SECRET: secret, LOGIC_JWT_MAX_AGE_SEC: '3600', LOGIC_JWT_CLOCK_SKEW_SEC: '0' });
    await refused(aged, signJwt({ mid: 1 }, { ...hs, iat: NOW - 3601, exp: NOW + 600 }), /^token is too old: issued 3601 s ago, LOGIC_JWT_MAX_AGE_SEC is 3600$/);
    await refused(aged, signJwt({ mid: 1 }, { ...hs, iat: null, exp: NOW + 600 }), /^token has no iat \(LOGIC_JWT_MAX_AGE_SEC needs it\)$/);
    assert.equal((await aged.verify(await signJwt({ mid: 1 }, { ...hs, iat: NOW - 3600, exp: NOW + 600 }))).mid, 1);
  });

  it('picks the key by kid: both kids of a rotation verify, an unknown kid or a kid-less token is refused', async () => {
    const ec = keyPair('ec');
    const ed = keyPair('ed25519');
    const v = verifier({ LOGIC_JWT_KEYS: `2026a=hs256:${secret},2026b=hs256-file:${file('b.key', `${other}\n`)},ec1=pem:${file('ec.pem', ec.publicPem)},ed1=pem:${file('ed.pem', ed.publicPem)}` });
    const at = { iat: NOW, exp: NOW + 600 };
    assert.equal((await v.verify(await signJwt({ mid: 1 }, { alg: 'HS256', key: secret, kid: '2026a', ...at }))).mid, 1);
    assert.equal((await v.verify(await signJwt({ mid: 2 }, { alg: 'HS256', key: other, kid: '2026b', ...at }))).mid, 2);
    assert.equal((await v.verify(await signJwt({ mid: 3 }, { alg: 'ES256', key: ec.privatePem, kid: 'ec1', ...at }))).mid, 3);
    assert.equal((await v.verify(await signJwt({ mid: 4 }, { alg: 'EdDSA', key: ed.privatePem, kid: 'ed1', ...at }))).mid, 4);
    // A's secret under B's kid: the kid picks B, the signature fails.
    await refused(v, signJwt({ mid: 1 }, { alg: 'HS256', key: secret, kid: '2026b', ...at }), /signature verification failed/);
    await refused(v, signJwt({ mid: 1 }, { alg: 'HS256', key: secret, kid: '2025z', ...at }), /^token key id "2025z" is not one of LOGIC_JWT_KEYS \(2026a, 2026b, ec1, ed1\)$/);
    await refused(v, signJwt({ mid: 1 }, { alg: 'HS256', key: secret, ...at }), /^token has no "kid" header/);
    // An HMAC token naming a public key's kid (the classic RS/HS confusion) is refused before any check.
    await refused(v, signJwt({ mid: 1 }, { alg: 'HS256', key: secret, kid: 'ec1', ...at }), /^token algorithm HS256 does not fit key "ec1" \(ES256\)$/);
  });

  it('with a single kid-less key, ignores a kid the issuer sets', async () => {
    const v = verifier({ LOGIC_JWT_SECRET: secret });
    assert.equal((await v.verify(await signJwt({ mid: 9 }, { alg: 'HS256', key: secret, kid: 'whatever', iat: NOW, exp: NOW + 60 }))).mid, 9);
    await refused(v, signJwt({ mid: 9 }, { alg: 'RS256', key: keyPair('rsa').privatePem, iat: NOW, exp: NOW + 60 }), /^token algorithm RS256 is not accepted \(accepted: HS256\)$/);
    await assert.rejects(v.verify('not-a-jwt'), (err: unknown) => err instanceof TokenRefused && err.message === 'token is not a JWT');
  });
});
