import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryNodeLease } from './node-lease';

describe('MemoryNodeLease', () => {
  it('holds node 0 between start and stop', async () => {
    const lease = new MemoryNodeLease();
    assert.equal(lease.held(), false);
    assert.equal(await lease.start(), 0);
    assert.deepEqual([lease.id, lease.held()], [0, true]);
    await lease.stop();
    assert.deepEqual([lease.id, lease.held()], [-1, false]);
  });
});
