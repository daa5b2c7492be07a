import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, Env } from '@imgate/common';
import { keyPair } from '@imgate/testing';
import { loadLogicConfig } from '../logic.config';
import { loadJwtConfig } from './jwt.config';

const dir = mkdtempSync(join(tmpdir(), 'imgate-jwtcfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const secret = randomBytes(32).toString('hex');

function refused(vars: Record<string, string>, pattern: RegExp, load: (e: Env) => unknown = (e) => loadJwtConfig(e, true)): void {
  assert.throws(() => load(new Env(vars)), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));
}

describe('loadJwtConfig', () => {
  it('needs a key source in jwt mode and takes any of them', () => {
    refused({}, /^invalid configuration: LOGIC_JWT_SECRET or LOGIC_JWT_PUBLIC_KEY, LOGIC_JWT_KEYS or LOGIC_JWT_JWKS_URL must be set/);
    assert.equal(loadJwtConfig(new Env({}), false).keys.length, 0);
    const pub = keyPair('rsa').publicPem;
    const c = loadJwtConfig(new Env({ LOGIC_JWT_SECRET: secret, LOGIC_JWT_PUBLIC_KEY: pub.replace(/\n/g, '\\n'), LOGIC_JWT_MAX_AGE_SEC: '86400' }), true);
    assert.deepEqual(c.keys.map((k) => [k.kid, k.algs[0]]), [[undefined, 'HS256'], [undefined, 'RS256']]);
    assert.equal(c.maxAgeSec, 86_400);
    assert.equal(c.clockSkewSec, 30);
    const jwks = loadJwtConfig(new Env({ LOGIC_JWT_JWKS_URL: 'https://issuer.example.org/.well-known/jwks.json' }), true).jwks;
    assert.deepEqual(jwks, { url: 'https://issuer.example.org/.well-known/jwks.json', cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 });
  });

  it('refuses weak and shipped secrets, naming the variable (and the kid)', () => {
    refused({ LOGIC_JWT_SECRET: 'short' }, /^invalid configuration: LOGIC_JWT_SECRET must be at least 32 characters \(got 5\)/);
    refused({ LOGIC_JWT_SECRET: 'imgate-compose-demo-secret-NOT-FOR-PRODUCTION' }, /^invalid configuration: LOGIC_JWT_SECRET is an example value shipped with imgate/);
    refused({ LOGIC_JWT_SECRET: 'ab'.repeat(20) }, /^invalid configuration: LOGIC_JWT_SECRET has too few distinct characters/);
    refused({ LOGIC_JWT_KEYS: `a=hs256:${secret},b=hs256:changeme-changeme-changeme-changeme` }, /^invalid configuration: LOGIC_JWT_KEYS key "b" looks like a placeholder/);
  });

  it('parses LOGIC_JWT_KEYS strictly', () => {
    const pem = join(dir, 'k.pem');
    writeFileSync(pem, keyPair('ec').publicPem);
    const priv = join(dir, 'p.pem');
    writeFileSync(priv, keyPair('ec').privatePem);
    const keys = loadJwtConfig(new Env({ LOGIC_JWT_KEYS: `one=hs256:${secret}, two=pem:${pem}` }), true).keys;
    assert.deepEqual(keys.map((k) => [k.kid, k.algs]), [['one', ['HS256']], ['two', ['ES256']]]);
    refused({ LOGIC_JWT_KEYS: secret }, /^invalid configuration: LOGIC_JWT_KEYS entries must be <kid>=hs256:<secret>/);
    refused({ LOGIC_JWT_KEYS: `a=hs512:${secret}` }, /key "a" has source "hs512:"/);
    refused({ LOGIC_JWT_KEYS: `a=hs256:${secret},a=pem:${pem}` }, /lists kid "a" twice/);
    refused({ LOGIC_JWT_KEYS: `a=pem:${join(dir, 'missing.pem')}` }, /key "a": cannot read .*missing\.pem \(ENOENT\)/);
    refused({ LOGIC_JWT_KEYS: `a=pem:${priv}` }, /key "a" must be an SPKI public key PEM/);
    refused({ LOGIC_JWT_JWKS_URL: 'http://issuer.example.org/jwks' }, /^invalid configuration: LOGIC_JWT_JWKS_URL must use https:/);
  });
});

describe('dev auth', () => {
  const base = { LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none' };
  it('is the embedded default’s, or explicit with IMGATE_ALLOW_DEV_AUTH=1', () => {
    refused({ ...base, LOGIC_AUTH_MODE: 'dev' }, /^invalid configuration: LOGIC_AUTH_MODE is dev, .*refused unless IMGATE_ALLOW_DEV_AUTH=1/, (e) => loadLogicConfig(e));
    refused({ ...base, LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '0' }, /LOGIC_AUTH_MODE is dev/, (e) => loadLogicConfig(e));
    assert.equal(loadLogicConfig(new Env({ ...base, LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1' })).auth.mode, 'dev');
    assert.equal(loadLogicConfig(new Env(base), { authMode: 'dev' }).auth.mode, 'dev');
  });
});
