import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryIdempotencyRepository } from './memory-idempotency.repository';

describe('MemoryIdempotencyRepository', () => {
  it('the first claim wins until the key expires', async () => {
    const clock = { t: 0, now() { return this.t; } };
    const repo = new MemoryIdempotencyRepository(clock);
    assert.deepEqual(await repo.claim('push:k', '1', 10), { first: true });
    assert.deepEqual(await repo.claim('push:k', '2', 10), { first: false, value: '1' });
    assert.deepEqual(await repo.claim('push:other', '3', 10), { first: true });
    clock.t = 10_000;
    assert.deepEqual(await repo.claim('push:k', '4', 10), { first: true });
    assert.deepEqual(await repo.claim('push:k', '5', 10), { first: false, value: '4' });
  });
});
