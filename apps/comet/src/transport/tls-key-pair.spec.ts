import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, Env } from '@imgate/common';
import { makeTestPki } from '@imgate/testing';
import { loadCometConfig } from '../comet.config';
import { KeyPairError, keyPairOf, loadKeyPair } from './tls-key-pair';

const pki = makeTestPki(join(tmpdir(), `imgate-tls-key-pair-${process.pid}`));
const other = pki.issue('other');
const config = (env: Record<string, string>) => loadCometConfig(new Env({ CLUSTER_AUTH: 'none', ...env }), 'spec');
const variableOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.variable;
    throw err;
  }
  return '(no error)';
};

describe('client TLS key pair', () => {
  it('loads a pair, with the fingerprint and expiry clients will see', () => {
    const pair = loadKeyPair(pki.server.cert, pki.server.key);
    assert.match(pair.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(pair.notAfter > Date.now() && pair.notAfter < Date.now() + 3 * 86_400_000);
  });

  it('refuses a half-written certificate, a non-PEM key and a key of another certificate, naming the file', () => {
    const cert = readFileSync(pki.server.cert);
    const key = readFileSync(pki.server.key);
    const blame = (c: Buffer, k: Buffer) => {
      try {
        keyPairOf(c, k);
      } catch (err) {
        assert.ok(err instanceof KeyPairError);
        return err.file;
      }
      return 'loaded';
    };
    assert.equal(blame(cert.subarray(0, cert.length >> 1), key), 'cert');
    assert.equal(blame(cert, key.subarray(0, 40)), 'key');
    assert.equal(blame(cert, Buffer.from('not a key')), 'key');
    assert.equal(blame(cert, readFileSync(other.key)), 'pair');
    assert.equal(blame(cert, key), 'loaded');
  });
});

describe('comet config: client TLS', () => {
  it('is off without COMET_TLS_CERT/KEY, and on with both (ports 3103 and 3104 by default)', () => {
    assert.equal(config({}).tls, undefined);
    const c = config({ COMET_TLS_CERT: pki.server.cert, COMET_TLS_KEY: pki.server.key }).tls;
    assert.deepEqual(c && [c.wssPort, c.tlsPort, c.publicWssPort, c.publicTlsPort], [3103, 3104, 3103, 3104]);
    const mapped = config({ COMET_TLS_CERT: pki.server.cert, COMET_TLS_KEY: pki.server.key, COMET_WSS_PORT: '8443', COMET_PUBLIC_WSS_PORT: '443', COMET_PUBLIC_TLS_PORT: '5223' }).tls;
    assert.deepEqual(mapped && [mapped.wssPort, mapped.tlsPort, mapped.publicWssPort, mapped.publicTlsPort], [8443, 3104, 443, 5223]);
  });

  it('names the variable: one without the other, unreadable or bad files, a key of another certificate, a port clash', () => {
    assert.equal(variableOf(() => config({ COMET_TLS_CERT: pki.server.cert })), 'COMET_TLS_KEY');
    assert.equal(variableOf(() => config({ COMET_TLS_KEY: pki.server.key })), 'COMET_TLS_CERT');
    assert.equal(variableOf(() => config({ COMET_TLS_CERT: '/nonexistent/tls.crt', COMET_TLS_KEY: pki.server.key })), 'COMET_TLS_CERT');
    const notPem = join(pki.dir, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
    assert.equal(variableOf(() => config({ COMET_TLS_CERT: pki.server.cert, COMET_TLS_KEY: notPem })), 'COMET_TLS_KEY');
    assert.equal(variableOf(() => config({ COMET_TLS_CERT: pki.server.cert, COMET_TLS_KEY: other.key })), 'COMET_TLS_KEY');
    assert.equal(variableOf(() => config({ COMET_TLS_CERT: pki.server.cert, COMET_TLS_KEY: pki.server.key, COMET_TLS_PORT: '3101' })), 'COMET_TLS_PORT');
    assert.equal(variableOf(() => config({ COMET_TLS_CERT: pki.server.cert, COMET_TLS_KEY: pki.server.key, COMET_WSS_PORT: '3104' })), 'COMET_TLS_PORT');
  });
});
