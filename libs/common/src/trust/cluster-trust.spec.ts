import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, Env } from '../env';
import { loadClusterTrust } from './cluster-trust';

const dir = mkdtempSync(join(tmpdir(), 'imgate-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const refused = (vars: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadClusterTrust(new Env(vars), 'COMET'), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));

describe('loadClusterTrust', () => {
  it('needs CLUSTER_SECRET, certificates or an explicit CLUSTER_AUTH=none', () => {
    refused({}, /^invalid configuration: CLUSTER_SECRET must be set .*COMET_GRPC_TLS_CERT\/KEY\/CA .*CLUSTER_AUTH=none/);
    refused({ CLUSTER_SECRET: 'too-short' }, /^invalid configuration: CLUSTER_SECRET must be at least 32 characters/);
    assert.equal(loadClusterTrust(new Env({ CLUSTER_AUTH: 'none' }), 'COMET').mode, 'none');
    assert.equal(loadClusterTrust(new Env({ CLUSTER_SECRET: '7d1e9a0c3b5f8e2d4a6c9b1f0e3d5a7c' }), 'COMET').mode, 'secret');
    assert.equal(loadClusterTrust(new Env({}), 'COMET', { secret: 'in-process' }).mode, 'secret');
  });

  it('takes the role’s three PEM files together, naming the one missing or unreadable', () => {
    const cert = file('c.pem', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    const key = file('k.pem', '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n');
    refused({ COMET_GRPC_TLS_CERT: cert, COMET_GRPC_TLS_KEY: key }, /^invalid configuration: COMET_GRPC_TLS_CA must be set too/);
    refused({ COMET_GRPC_TLS_CERT: cert, COMET_GRPC_TLS_KEY: key, COMET_GRPC_TLS_CA: join(dir, 'nope.pem') }, /^invalid configuration: COMET_GRPC_TLS_CA cannot be read \(ENOENT/);
    refused({ COMET_GRPC_TLS_CERT: key, COMET_GRPC_TLS_KEY: key, COMET_GRPC_TLS_CA: cert }, /^invalid configuration: COMET_GRPC_TLS_CERT must be a PEM file/);
    const trust = loadClusterTrust(new Env({ COMET_GRPC_TLS_CERT: cert, COMET_GRPC_TLS_KEY: key, COMET_GRPC_TLS_CA: cert, COMET_GRPC_TLS_SERVER_NAME: 'logic.internal' }), 'COMET');
    assert.equal(trust.mode, 'tls');
    assert.equal(trust.tls?.serverName, 'logic.internal');
  });
});
