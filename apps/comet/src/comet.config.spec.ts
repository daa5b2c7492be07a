import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Env } from '@imgate/common';
import { hostPort, loadCometConfig } from './comet.config';

describe('comet config', () => {
  it('has the documented defaults', () => {
    const c = loadCometConfig(new Env({ CLUSTER_AUTH: 'none' }), 'box');
    assert.equal(c.id, 'comet-box-3109');
    assert.deepEqual([c.tcpPort, c.wsPort, c.grpcPort, c.httpPort, c.kcp.port], [3101, 3102, 3109, 3100, 3103]);
    assert.equal(c.publicHost, c.advertiseHost);
    assert.equal(c.drainTimeoutMs, 30_000);
  });

  it('gives clients the public host and job the advertised one', () => {
    const c = loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_ADVERTISE_HOST: '10.0.0.7', COMET_PUBLIC_HOST: 'im.example.com' }), 'box');
    assert.equal(c.advertiseHost, '10.0.0.7');
    assert.equal(c.publicHost, 'im.example.com');
    assert.deepEqual(c.publicPorts, { tcp: 3101, ws: 3102, kcp: 3103 });
    const mapped = loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_PUBLIC_WS_PORT: '4102', COMET_PUBLIC_TCP_PORT: '4101', COMET_PUBLIC_KCP_PORT: '4103' }), 'box');
    assert.deepEqual(mapped.publicPorts, { tcp: 4101, ws: 4102, kcp: 4103 });
    assert.equal(mapped.wsPort, 3102);
  });

  it('brackets IPv6 literals in host:port', () => {
    assert.equal(hostPort('fd00::7', 3109), '[fd00::7]:3109');
    assert.equal(hostPort('[fd00::7]', 3109), '[fd00::7]:3109');
    assert.equal(hostPort('10.0.0.7', 3109), '10.0.0.7:3109');
  });

  it('reads the trusted proxies as CIDRs and the PROXY protocol mode', () => {
    const c = loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_TRUSTED_PROXIES: '127.0.0.1/32, fd00::/8,10.0.0.1', COMET_PROXY_PROTOCOL: 'required' }), 'box');
    assert.deepEqual(c.proxy, { trusted: ['127.0.0.1/32', 'fd00::/8', '10.0.0.1'], protocol: 'required' });
    assert.deepEqual(loadCometConfig(new Env({ CLUSTER_AUTH: 'none' }), 'box').proxy, { trusted: [], protocol: 'optional' });
    assert.throws(() => loadCometConfig(new Env({ COMET_TRUSTED_PROXIES: '127.0.0.1/40' }), 'box'), (e: unknown) => e instanceof ConfigError && e.variable === 'COMET_TRUSTED_PROXIES');
    assert.throws(() => loadCometConfig(new Env({ COMET_PROXY_PROTOCOL: 'always' }), 'box'), (e: unknown) => e instanceof ConfigError && e.variable === 'COMET_PROXY_PROTOCOL');
  });

  it('names the bad variable', () => {
    assert.throws(() => loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_KCP: 'perhaps' }), 'box'), (e: unknown) => e instanceof ConfigError && e.variable === 'COMET_KCP');
    assert.throws(() => loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_PUBLIC_HOST: 'bad host!' }), 'box'), (e: unknown) => e instanceof ConfigError && e.variable === 'COMET_PUBLIC_HOST');
    // Without CLUSTER_SECRET, certificates or CLUSTER_AUTH=none a comet does not start: anyone could call it.
    assert.throws(() => loadCometConfig(new Env({}), 'box'), (e: unknown) => e instanceof ConfigError && e.variable === 'CLUSTER_SECRET');
  });

  it('binds the client listeners to COMET_LISTEN_HOST, and to loopback only under the embedded default’s dev auth', () => {
    assert.equal(loadCometConfig(new Env({ CLUSTER_AUTH: 'none' }), 'box').listenHost, '0.0.0.0');
    assert.equal(loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_LISTEN_HOST: '10.0.0.7' }), 'box').listenHost, '10.0.0.7');
    const embedded = { drainTimeoutMs: 2_000, clusterSecret: 'in-process', loopbackOnly: true };
    assert.equal(loadCometConfig(new Env({}), 'box', embedded).listenHost, '127.0.0.1');
    assert.throws(
      () => loadCometConfig(new Env({ COMET_LISTEN_HOST: '0.0.0.0' }), 'box', embedded),
      (e: unknown) => e instanceof ConfigError && /^invalid configuration: COMET_LISTEN_HOST must be a loopback address while the embedded default runs dev auth/.test(e.message),
    );
    assert.throws(() => loadCometConfig(new Env({ CLUSTER_AUTH: 'none', COMET_LISTEN_HOST: '::' }), 'box'), (e: unknown) => e instanceof ConfigError && e.variable === 'COMET_LISTEN_HOST');
  });
});
