import { createHash, randomBytes } from 'node:crypto';

/**
 * A resume token is `<connection key>.<secret>`: 128 random bits, base64url. Logic stores only the
 * secret's SHA-256, so a read of the store does not give out live tokens; the key says where to look.
 */
export interface ResumeToken {
  key: string;
  secret: string;
}

const TOKEN = /^([A-Za-z0-9_.:-]{1,64})\.([A-Za-z0-9_-]{22})$/;

export function mintSecret(): string {
  return randomBytes(16).toString('base64url');
}

export function formatToken(t: ResumeToken): string {
  return `${t.key}.${t.secret}`;
}

export function parseToken(text: string): ResumeToken | null {
  const m = TOKEN.exec(text);
  return m ? { key: m[1], secret: m[2] } : null;
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
