import { createHash, timingSafeEqual } from 'node:crypto';

/** Words that mark a value copied from an example rather than generated. */
const PLACEHOLDERS = /replace[-_ ]?me|change[-_ ]?me|changeit|placeholder|example|not[-_]for[-_]production|your[-_]?(api|secret|key)|xxxxxx|secret|password|passwd|default|insecure|sample|dummy|letmein|qwerty/i;

/**
 * Exact values shipped in the repository's examples and tests before secrets were generated
 * (compose's old default, the old k8s placeholder, the old test constants): a deployment that
 * copied one of them is refused even if the checks below would let it pass.
 */
const SHIPPED = new Set([
  'imgate-compose-demo-secret-NOT-FOR-PRODUCTION',
  'REPLACE-ME-with-a-random-secret-of-at-least-32-bytes',
  'imgate-test-secret-that-is-at-least-32-bytes-long',
  'imgate-test-api-key-0123456789abcdef0123456789',
  'imgate-test-cluster-secret-9f8e7d6c5b4a39281706',
  'a-different-secret-of-at-least-32-bytes!!',
]);

const MAKE_ONE = 'make one with: openssl rand -hex 32';

/**
 * Why a shared secret (JWT HS256 secret, API key, cluster secret) is too weak to accept, or
 * undefined when it is fine: shorter than minLength, a value shipped in the repository, a
 * placeholder word, too few distinct characters, a repeated or sequential pattern, or mostly
 * words (a sentence has a fraction of the entropy of random bytes of the same length).
 * Random hex or base64url of the required length passes all of these with near certainty.
 */
export function weakSecretReason(value: string, minLength = 32): string | undefined {
  if (value.length < minLength) return `must be at least ${minLength} characters (got ${value.length}); ${MAKE_ONE}`;
  if (SHIPPED.has(value)) return `is an example value shipped with imgate, public to anyone; ${MAKE_ONE}`;
  if (PLACEHOLDERS.test(value)) return `looks like a placeholder from an example; ${MAKE_ONE}`;
  if (new Set(value).size < 10) return `has too few distinct characters to be random; ${MAKE_ONE}`;
  if (periodic(value)) return `repeats a shorter pattern, so it is not random; ${MAKE_ONE}`;
  if (sequential(value)) return `is mostly runs of repeated or consecutive characters (like "aaaa" or "abcd1234"), so it is not random; ${MAKE_ONE}`;
  if (wordy(value)) return `reads like words, not random bytes (a phrase is far easier to guess than its length suggests); ${MAKE_ONE}`;
  return undefined;
}

/** True when the value is a shorter string repeated (allowing a partial last copy). */
function periodic(value: string): boolean {
  for (let p = 1; p <= value.length / 2; p++) {
    let i = p;
    while (i < value.length && value[i] === value[i - p]) i++;
    if (i === value.length) return true;
  }
  return false;
}

/** Half or more of the adjacent pairs step by 0 or ±1 (random hex: about 1 in 5; base64: about 1 in 20). */
function sequential(value: string): boolean {
  let steps = 0;
  for (let i = 1; i < value.length; i++) if (Math.abs(value.charCodeAt(i) - value.charCodeAt(i - 1)) <= 1) steps++;
  return steps * 2 >= value.length - 1;
}

/**
 * Half or more of the characters are whole words: runs of 3+ letters between non-letters shaped like
 * "lower", "Capital" or "UPPER". Random base64 mixes cases inside its letter runs, so its runs are
 * rarely word-shaped; a phrase ("imgate-test-secret-that-is-…") is made of them.
 */
function wordy(value: string): boolean {
  let inWords = 0;
  for (const m of value.matchAll(/[A-Za-z]+/g)) {
    // Runs of hex digits (a-f) are what random hex is made of.
    if (m[0].length >= 3 && /^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(m[0]) && !/^[a-f]+$/i.test(m[0])) inWords += m[0].length;
  }
  return inWords * 2 >= value.length;
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
