import { createPrivateKey, createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

// Made per test process, as a deployment makes its own: a fixed value here would be one more
// public secret (logic refuses the ones the repository ever shipped).
/** The HS256 secret every test cluster's logic verifies client tokens with (LOGIC_JWT_SECRET). */
export const TEST_JWT_SECRET = randomBytes(32).toString('hex');

/** The push-plane API key every test cluster is started with (LOGIC_API_KEYS). */
export const TEST_API_KEY = randomBytes(32).toString('hex');

/** Headers that carry the test API key, for requests to logic's push/online/admin API. */
export function apiHeaders(key = TEST_API_KEY): Record<string, string> {
  return { Authorization: `Bearer ${key}` };
}

export function signHs256(claims: Record<string, unknown>, secret = TEST_JWT_SECRET, expiresIn = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(createSecretKey(Buffer.from(secret)));
}

export function rsaKeyPair(): { publicPem: string; privatePem: string } {
  return keyPair('rsa');
}

export function signRs256(claims: Record<string, unknown>, privatePem: string, expiresIn = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(createPrivateKey(privatePem));
}

export interface SignOptions {
  /** HS256 (a secret), or the private key's algorithm: RS256, ES256, EdDSA. */
  alg: 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
  /** The HS256 secret, or a PKCS#8 private key PEM. */
  key: string;
  kid?: string;
  /** jose time span ('10m', '-1m') or Unix seconds; null: no `exp` claim at all. */
  exp?: string | number | null;
  /** Unix seconds; null: no `iat` claim. Default: now. */
  iat?: number | null;
}

/** A JWT with full control over the header and time claims, for the strict-token tests. */
export function signJwt(claims: Record<string, unknown>, o: SignOptions): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: o.alg, ...(o.kid === undefined ? {} : { kid: o.kid }) });
  if (o.iat !== null) jwt.setIssuedAt(o.iat);
  if (o.exp !== null) jwt.setExpirationTime(o.exp ?? '10m');
  return jwt.sign(o.alg === 'HS256' ? createSecretKey(Buffer.from(o.key)) : createPrivateKey(o.key));
}

/** A key pair of the given type as SPKI / PKCS#8 PEM. */
export function keyPair(type: 'rsa' | 'ec' | 'ed25519'): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
