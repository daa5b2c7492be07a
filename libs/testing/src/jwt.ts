import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { createPrivateKey, createSecretKey } from 'node:crypto';

export const TEST_JWT_SECRET = 'imgate-test-secret-that-is-at-least-32-bytes-long';

/** The push-plane API key every test cluster is started with (LOGIC_API_KEYS). */
export const TEST_API_KEY = 'imgate-test-api-key-0123456789abcdef0123456789';

/** Headers that carry the test API key, for requests to logic's push/online/admin API. */
export function apiHeaders(key = TEST_API_KEY): Record<string, string> {
  return { Authorization: `Bearer ${key}` };
}

export function signHs256(claims: Record<string, unknown>, secret = TEST_JWT_SECRET, expiresIn = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(createSecretKey(Buffer.from(secret)));
}

export function rsaKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function signRs256(claims: Record<string, unknown>, privatePem: string, expiresIn = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(createPrivateKey(privatePem));
}
