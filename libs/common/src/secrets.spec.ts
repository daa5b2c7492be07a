import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesSecret, secretDigest, weakSecretReason } from './secrets';

describe('secrets', () => {
  it('calls short, repetitive and example values weak', () => {
    assert.match(weakSecretReason('abc') ?? '', /at least 32 characters \(got 3\)/);
    assert.match(weakSecretReason('abababababababababababababababababab') ?? '', /too few distinct/);
    assert.match(weakSecretReason('imgate-compose-demo-secret-NOT-FOR-PRODUCTION') ?? '', /placeholder/);
    assert.equal(weakSecretReason('9c1f0e7b2a4d6f8e0b1c3d5e7f9a2b4c'), undefined);
  });

  it('matches a presented value against any of several digests', () => {
    const keys = ['9c1f0e7b2a4d6f8e0b1c3d5e7f9a2b4c', '0d2e4f6a8b1c3e5f7a9b2c4d6e8f0a1b'].map((k) => secretDigest(k));
    assert.equal(matchesSecret(keys, '0d2e4f6a8b1c3e5f7a9b2c4d6e8f0a1b'), true);
    assert.equal(matchesSecret(keys, '0d2e4f6a8b1c3e5f7a9b2c4d6e8f0a1'), false);
    assert.equal(matchesSecret([], 'x'), false);
  });
});
