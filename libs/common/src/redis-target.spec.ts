import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterUrl, parseRedisTarget, redactRedisUrl } from './redis-target';

describe('parseRedisTarget', () => {
  it('passes a single-server URL through', () => {
    assert.deepEqual(parseRedisTarget('redis://127.0.0.1:6379/2'), { kind: 'single', url: 'redis://127.0.0.1:6379/2' });
    assert.equal(parseRedisTarget('rediss://:pw@h:6380').kind, 'single');
  });

  it('reads a cluster URL: nodes, TLS and credentials', () => {
    assert.deepEqual(parseRedisTarget('redis+cluster://127.0.0.1:7000, 127.0.0.1:7001'), {
      kind: 'cluster',
      nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }],
      tls: false,
    });
    assert.deepEqual(parseRedisTarget('rediss+cluster://app:p%40ss@[::1]:7000/'), {
      kind: 'cluster',
      nodes: [{ host: '::1', port: 7000 }],
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
    assert.deepEqual(parseRedisTarget('redis+cluster://:secret@r1:7000'), { kind: 'cluster', nodes: [{ host: 'r1', port: 7000 }], tls: false, password: 'secret' });
  });

  it('refuses what it cannot use', () => {
    assert.throws(() => parseRedisTarget('http://x'), /must use redis:/);
    assert.throws(() => parseRedisTarget('nonsense'), /must be a URL/);
    assert.throws(() => parseRedisTarget('redis+cluster://a:7000,b'), /"b" is not host:port/);
    assert.throws(() => parseRedisTarget('redis+cluster://a:70000'), /not host:port/);
  });
});

describe('clusterUrl', () => {
  it('keeps the scheme and credentials of REDIS_URL', () => {
    assert.equal(clusterUrl('redis://127.0.0.1:6379', ['a:1', 'b:2']), 'redis+cluster://a:1,b:2');
    assert.equal(clusterUrl('rediss://:pw@x:6380', ['a:1']), 'rediss+cluster://:pw@a:1');
  });

  it('redacts a password for logs', () => {
    assert.equal(redactRedisUrl('rediss+cluster://u:pw@a:1,b:2'), 'rediss+cluster://u:***@a:1,b:2');
    assert.equal(redactRedisUrl('redis://h:1'), 'redis://h:1');
  });
});
