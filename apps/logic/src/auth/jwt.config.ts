import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, type Env, weakSecretReason } from '@imgate/common';

/** One key logic verifies client tokens with. */
export interface JwtKey {
  /** The `kid` header that selects it (LOGIC_JWT_KEYS); absent for LOGIC_JWT_SECRET / LOGIC_JWT_PUBLIC_KEY. */
  kid?: string;
  /** The algorithms a token signed with it may name (never an HS one for a public key, and the reverse). */
  algs: string[];
  key: KeyObject;
}

export interface JwksSettings {
  url: string;
  /** A fetched set is used this long before it is fetched again. */
  cacheMaxAgeMs: number;
  /** After a fetch, an unknown kid does not fetch again for this long (the JWKS cannot be hammered through logic). */
  cooldownMs: number;
  timeoutMs: number;
}

export interface JwtConfig {
  keys: JwtKey[];
  jwks?: JwksSettings;
  issuer?: string;
  audience?: string;
  /** Tokens issued (iat) longer ago than this are refused; 0: only exp counts. */
  maxAgeSec: number;
  /** Leeway for exp, nbf and iat between the issuer's clock and logic's. */
  clockSkewSec: number;
}

const KID = /^[A-Za-z0-9._~+/-]{1,128}$/;
/** Algorithms a JWKS key may verify: public-key ones only, so a JWKS entry can never act as an HMAC secret. */
export const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** The algorithms a public key can verify, from its type (and curve). */
function publicAlgs(key: KeyObject): string[] | undefined {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      return curve === 'prime256v1' ? ['ES256'] : curve === 'secp384r1' ? ['ES384'] : curve === 'secp521r1' ? ['ES512'] : undefined;
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return undefined;
  }
}

function publicKey(variable: string, pem: string, what: string): JwtKey {
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new ConfigError(variable, `${what} must be an SPKI public key PEM ("-----BEGIN PUBLIC KEY-----"), never a private key`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new ConfigError(variable, `${what} is not a readable public key (${(err as Error).message})`);
  }
  const algs = publicAlgs(key);
  if (!algs) throw new ConfigError(variable, `${what} is a ${key.asymmetricKeyType} key: RSA, EC (P-256/384/521) or Ed25519 keys are accepted`);
  return { algs, key };
}

function hmacKey(variable: string, secret: string, what: string): JwtKey {
  const weak = weakSecretReason(secret);
  if (weak) throw new ConfigError(variable, `${what}${weak}`);
  return { algs: ['HS256'], key: createSecretKey(Buffer.from(secret)) };
}

function readRef(variable: string, path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(variable, `${what.trim()}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * `LOGIC_JWT_KEYS`: `<kid>=<source>` entries, comma-separated; the token's `kid` header picks one.
 * Sources: `hs256:<secret>` (inline HS256 secret), `hs256-file:<path>` (a file holding it, e.g. a
 * mounted Secret), `pem:<path>` (an SPKI public key file: RSA, EC or Ed25519). Rotation: list the
 * new kid beside the old until every old token has expired, then drop the old.
 */
export function parseJwtKeys(env: Env): JwtKey[] {
  const V = 'LOGIC_JWT_KEYS';
  const out: JwtKey[] = [];
  for (const entry of env.list(V, [])) {
    const eq = entry.indexOf('=');
    const kid = eq > 0 ? entry.slice(0, eq) : '';
    const source = eq > 0 ? entry.slice(eq + 1) : '';
    const colon = source.indexOf(':');
    const kind = colon > 0 ? source.slice(0, colon) : '';
    const value = colon > 0 ? source.slice(colon + 1) : '';
    if (!KID.test(kid) || !value) {
      throw new ConfigError(V, `entries must be <kid>=hs256:<secret>, <kid>=hs256-file:<path> or <kid>=pem:<path> (got "${entry.length > 40 ? `${entry.slice(0, 12)}…` : entry}")`);
    }
    if (out.some((k) => k.kid === kid)) throw new ConfigError(V, `lists kid "${kid}" twice`);
    const what = `key "${kid}" `;
    let key: JwtKey;
    if (kind === 'hs256') key = hmacKey(V, value, what);
    else if (kind === 'hs256-file') key = hmacKey(V, readRef(V, value, what).trim(), what);
    else if (kind === 'pem') key = publicKey(V, readRef(V, value, what), what.trim());
    else throw new ConfigError(V, `${what}has source "${kind}:": use hs256:, hs256-file: or pem:`);
    out.push({ ...key, kid });
  }
  return out;
}

function loadJwks(env: Env): JwksSettings | undefined {
  const V = 'LOGIC_JWT_JWKS_URL';
  if (env.optional(V) === undefined) return undefined;
  const url = env.url(V, '', ['https:', 'http:']);
  const { protocol, hostname } = new URL(url);
  // Keys fetched over plain HTTP could be swapped on the way: only from this host.
  if (protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) throw new ConfigError(V, `must use https: (plain http only for a JWKS on this host; got "${url}")`);
  return {
    url,
    cacheMaxAgeMs: env.int('LOGIC_JWT_JWKS_CACHE_SEC', 600, 1, 86_400) * 1000,
    cooldownMs: env.int('LOGIC_JWT_JWKS_COOLDOWN_SEC', 30, 0, 3_600) * 1000,
    timeoutMs: env.int('LOGIC_JWT_JWKS_TIMEOUT_MS', 5_000, 100, 60_000),
  };
}

/** How client tokens are verified; `required`: jwt auth mode, where at least one key source must be set. */
export function loadJwtConfig(env: Env, required: boolean): JwtConfig {
  const keys: JwtKey[] = [];
  const secret = env.optional('LOGIC_JWT_SECRET');
  if (secret !== undefined) keys.push(hmacKey('LOGIC_JWT_SECRET', secret, ''));
  const pem = env.optional('LOGIC_JWT_PUBLIC_KEY');
  if (pem !== undefined) keys.push(publicKey('LOGIC_JWT_PUBLIC_KEY', pem.replace(/\\n/g, '\n'), 'value'));
  keys.push(...parseJwtKeys(env));
  const jwks = loadJwks(env);
  if (required && keys.length === 0 && !jwks) {
    throw new ConfigError('LOGIC_JWT_SECRET', 'or LOGIC_JWT_PUBLIC_KEY, LOGIC_JWT_KEYS or LOGIC_JWT_JWKS_URL must be set when LOGIC_AUTH_MODE=jwt');
  }
  return {
    keys,
    jwks,
    issuer: env.optional('LOGIC_JWT_ISSUER'),
    audience: env.optional('LOGIC_JWT_AUDIENCE'),
    maxAgeSec: env.int('LOGIC_JWT_MAX_AGE_SEC', 0, 0, 366 * 86_400),
    clockSkewSec: env.int('LOGIC_JWT_CLOCK_SKEW_SEC', 30, 0, 600),
  };
}
