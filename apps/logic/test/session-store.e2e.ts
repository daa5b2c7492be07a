// The session store's crash-safety rules (issue 13, point 4) against the real Redis, and the same
// cases against the in-memory store the embedded default uses: a renewal cannot resurrect a
// session that was just disconnected, nor take a key that moved to another comet; a gone comet's
// sessions and user entries are purged by one idempotent call.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { systemClock } from '@imgate/common';
import { createRedis, deleteKeys, type RedisClient, scanKeys } from '@imgate/store';
import { testRedisUrl } from '@imgate/testing';
import { MemorySessionRepository } from '../src/session/memory-session.repository';
import { RedisSessionRepository } from '../src/session/redis-session.repository';
import type { SessionRepository } from '../src/session/session.repository';

// The suite's Redis: a Redis Cluster when REDIS_CLUSTER_NODES is set, where the scripts must keep to one slot.
const REDIS_URL = testRedisUrl();
const PREFIX = `t:session-store-${randomBytes(4).toString('hex')}:`;
const TTL = 60;

const clients: RedisClient[] = [];
after(async () => {
  // A failed cleanup must still disconnect, or the open client keeps the file alive to its timeout.
  try {
    for (const r of clients) {
      // Per master and per key: on a cluster KEYS sees one node and a multi-key DEL is CROSSSLOT.
      await deleteKeys(r, await scanKeys(r, `${PREFIX}*`));
      assert.deepEqual(await scanKeys(r, `${PREFIX}*`), [], 'keys of this file left on some node');
    }
  } finally {
    clients.forEach((r) => r.disconnect());
  }
});

const backends: Array<{ name: string; open(): Promise<SessionRepository> }> = [
  {
    name: 'redis',
    async open() {
      const redis = createRedis(REDIS_URL, pino({ level: 'silent' }));
      await redis.connect();
      clients.push(redis);
      return new RedisSessionRepository(redis, `${PREFIX}${randomBytes(2).toString('hex')}:`);
    },
  },
  { name: 'memory', open: async () => new MemorySessionRepository(systemClock) },
];

for (const backend of backends) {
  describe(`session store (${backend.name})`, () => {
    it('does not bring back a session that was just disconnected, whatever renewal arrives late', async () => {
      const s = await backend.open();
      await s.add(7, 'k1', 'comet-a', TTL);
      assert.equal(await s.remove(7, 'k1', 'comet-a'), true);
      assert.deepEqual(await s.refreshMany([{ mid: 7, key: 'k1' }], 'comet-a', TTL), [false]);
      assert.equal(await s.restoreMany([{ mid: 7, key: 'k1' }], 'comet-a', TTL), 0);
      assert.deepEqual(await s.serversByKeys(['k1']), [null]);
      assert.equal((await s.keysByMids([7])).get(7)?.has('k1') ?? false, false);
      // A new connection under the same key (a resume) is a new session: allowed, tombstone cleared.
      await s.add(7, 'k1', 'comet-b', TTL);
      assert.deepEqual(await s.serversByKeys(['k1']), ['comet-b']);
    });

    it('restores a lost session for its comet, but never takes a key that another comet holds', async () => {
      const s = await backend.open();
      // Lost (as after Redis came back empty): nothing there, no tombstone.
      assert.equal(await s.restoreMany([{ mid: 8, key: 'k2' }, { mid: 0, key: 'k3' }], 'comet-a', TTL), 2);
      assert.deepEqual(await s.serversByKeys(['k2', 'k3']), ['comet-a', 'comet-a']);
      assert.equal((await s.keysByMids([8])).get(8)?.get('k2'), 'comet-a');
      assert.deepEqual(await s.refreshMany([{ mid: 8, key: 'k2' }], 'comet-a', TTL), [true]);
      // The client moved: comet-b has it now; comet-a's late renewal neither refreshes nor steals it.
      await s.add(8, 'k2', 'comet-b', TTL);
      assert.deepEqual(await s.refreshMany([{ mid: 8, key: 'k2' }], 'comet-a', TTL), [false]);
      assert.equal(await s.restoreMany([{ mid: 8, key: 'k2' }], 'comet-a', TTL), 0);
      assert.deepEqual(await s.serversByKeys(['k2']), ['comet-b']);
      // ...and its late disconnect leaves comet-b's session alone.
      await s.remove(8, 'k2', 'comet-a');
      assert.deepEqual(await s.serversByKeys(['k2']), ['comet-b']);
    });

    it('purges every session of a gone comet (keys and user entries), idempotently, and no other', async () => {
      const s = await backend.open();
      for (let i = 0; i < 1_200; i++) await s.add(100 + (i % 300), `dead-${i}`, 'comet-dead', TTL);
      await s.add(100, 'alive-1', 'comet-live', TTL);
      assert.ok((await s.sessionServers()).includes('comet-dead'));
      assert.equal(await s.purgeServer('comet-dead'), 1_200);
      assert.equal(await s.purgeServer('comet-dead'), 0);
      assert.deepEqual(await s.serversByKeys(['dead-0', 'dead-1199', 'alive-1']), [null, null, 'comet-live']);
      const u = await s.keysByMids([100, 101]);
      assert.deepEqual([...(u.get(100) ?? new Map())], [['alive-1', 'comet-live']]);
      assert.equal(u.has(101), false);
      assert.equal((await s.sessionServers()).includes('comet-dead'), false);
    });
  });
}
