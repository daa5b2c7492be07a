import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCometNode } from './comet-registry';
import { MemoryCometRegistry } from './memory-comet-registry';

const node = (id: string) => ({ id, grpc: '127.0.0.1:3109', ws: '', tcp: '', kcp: '', wss: '', tls: '', weight: 1, region: '', connections: 0, draining: false });

describe('MemoryCometRegistry', () => {
  it('lists nodes until their TTL passes without a refresh', async () => {
    let now = 1_000;
    const reg = new MemoryCometRegistry(100, { now: () => now });
    await reg.register(node('a'));
    await reg.register(node('b'));
    now += 60;
    await reg.register(node('b'));
    now += 60;
    assert.deepEqual((await reg.list()).map((n) => n.id), ['b']);
    await reg.deregister('b');
    assert.deepEqual(await reg.list(), []);
  });
});

describe('parseCometNode', () => {
  it('accepts a well-formed node and rejects malformed ones', () => {
    assert.equal(parseCometNode(JSON.stringify({ ...node('a'), updatedAt: 5 }))?.id, 'a');
    assert.equal(parseCometNode('not json'), null);
    assert.equal(parseCometNode(JSON.stringify({ ...node('a'), updatedAt: 'x' })), null);
    assert.equal(parseCometNode(JSON.stringify({ ...node('a') })), null);
  });
});
