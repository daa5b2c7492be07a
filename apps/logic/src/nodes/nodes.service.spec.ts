import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CometAnnouncement, MemoryCometRegistry } from '@imgate/store';
import { NodesService } from './nodes.service';

const node = (id: string, over: Partial<CometAnnouncement> = {}): CometAnnouncement => ({
  id, grpc: `${id}:3109`, ws: `ws://${id}:3102/sub`, tcp: `${id}:3101`, kcp: '', wss: '', tls: '', weight: 10, region: '', connections: 0, draining: false, ...over,
});

describe('NodesService', () => {
  it('orders live comets by region (when asked), weight, then load, leaving out draining and zero-weight ones', async () => {
    const registry = new MemoryCometRegistry(10_000, { now: () => 0 });
    for (const n of [
      node('a', { weight: 10, connections: 500, region: 'eu' }),
      node('b', { weight: 10, connections: 100, region: 'us' }),
      node('c', { weight: 20, connections: 900, region: 'us' }),
      node('d', { draining: true, weight: 99 }),
      node('e', { weight: 0 }),
    ]) await registry.register(n);
    const nodes = new NodesService(registry);
    assert.deepEqual((await nodes.list()).map((n) => n.id), ['c', 'b', 'a']);
    assert.deepEqual((await nodes.list('eu')).map((n) => n.id), ['a', 'c', 'b']);
  });
});
