import { createHash, timingSafeEqual } from 'node:crypto';

/** Words that mark a value copied from an example rather than generated. */
const PLACEHOLDERS = /replace[-_ ]?me|change[-_ ]?me|changeit|placeholder|example|not[-_]for[-_]production|your[-_]?(api|secret|key)|xxxxxx|secret123|password/i;

/**
 * Why a shared secret (API key, cluster secret) is too weak to accept, or undefined when it is
 * fine: shorter than minLength, too few distinct characters, or an example placeholder.
 */
export function weakSecretReason(value: string, minLength = 32): string | undefined {
  if (value.length < minLength) return `must be at least ${minLength} characters (got ${value.length}); make one with: openssl rand -hex 32`;
  if (new Set(value).size < 10) return 'has too few distinct characters to be random; make one with: openssl rand -hex 32';
  if (PLACEHOLDERS.test(value)) return 'looks like a placeholder from an example; make one with: openssl rand -hex 32';
  return undefined;
}

/** SHA-256 of a secret: fixed-length digests compare in constant time whatever the inputs' lengths. */
export function secretDigest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True when `presented` equals one of `digests` (from secretDigest); looks at every digest, no early exit. */
export function matchesSecret(digests: readonly Buffer[], presented: string): boolean {
  const d = secretDigest(presented);
  let hit = false;
  for (const k of digests) hit = timingSafeEqual(k, d) || hit;
  return hit;
}
