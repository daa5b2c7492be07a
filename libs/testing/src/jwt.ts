import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { createPrivateKey, createSecretKey } from 'node:crypto';

export const TEST_JWT_SECRET = 'imgate-test-secret-that-is-at-least-32-bytes-long';

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
