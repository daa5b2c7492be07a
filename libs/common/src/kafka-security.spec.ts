import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, Env } from './env';
import { loadInfraConfig } from './infra.config';
import { loadKafkaSecurity } from './kafka-security';

const dir = mkdtempSync(join(tmpdir(), 'imgate-kafka-security-'));
const CERT = join(dir, 'ca.pem');
const KEY = join(dir, 'client.key');
const NOT_PEM = join(dir, 'not.pem');
const PASSWORD = join(dir, 'password');
writeFileSync(CERT, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
writeFileSync(KEY, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
writeFileSync(NOT_PEM, 'hello');
writeFileSync(PASSWORD, 's3cret-from-a-file\n');

const load = (vars: Record<string, string>) => loadKafkaSecurity(new Env(vars));
function refused(vars: Record<string, string>, variable: string, reason: RegExp): void {
  assert.throws(() => load(vars), (err: unknown) => err instanceof ConfigError && err.variable === variable && reason.test(err.message));
}

describe('loadKafkaSecurity', () => {
  it('is plaintext without authentication by default', () => {
    assert.deepEqual(load({}), { tls: undefined, sasl: undefined });
  });

  it('reads TLS with a CA and a client certificate, and SASL with the password from a file', () => {
    const s = load({ KAFKA_SSL: '1', KAFKA_SSL_CA: CERT, KAFKA_SSL_CERT: CERT, KAFKA_SSL_KEY: KEY, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'imgate', KAFKA_SASL_PASSWORD_FILE: PASSWORD });
    assert.match(s.tls?.ca?.toString() ?? '', /BEGIN CERTIFICATE/);
    assert.match(s.tls?.key?.toString() ?? '', /BEGIN PRIVATE KEY/);
    assert.deepEqual(s.sasl, { mechanism: 'scram-sha-512', username: 'imgate', password: 's3cret-from-a-file' });
    assert.deepEqual(load({ KAFKA_SSL: 'true' }).tls, { ca: undefined, cert: undefined, key: undefined });
  });

  it('refuses half-made or unsafe combinations, naming the variable and the reason', () => {
    refused({ KAFKA_SSL_CA: CERT }, 'KAFKA_SSL_CA', /KAFKA_SSL is off/);
    refused({ KAFKA_SSL: '1', KAFKA_SSL_CERT: CERT }, 'KAFKA_SSL_KEY', /go together/);
    refused({ KAFKA_SSL: '1', KAFKA_SSL_CA: NOT_PEM }, 'KAFKA_SSL_CA', /must be a PEM file/);
    refused({ KAFKA_SSL: '1', KAFKA_SSL_CA: join(dir, 'missing.pem') }, 'KAFKA_SSL_CA', /cannot be read \(ENOENT/);
    refused({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_USERNAME', /must be set/);
    refused({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_PASSWORD', /must be set/);
    refused({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM', /must be set/);
    refused({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM', /must be one of plain, scram-sha-256, scram-sha-512/);
    refused({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM', /in clear/);
    refused({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: PASSWORD }, 'KAFKA_SASL_PASSWORD', /both set/);
    refused({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: join(dir, 'nope') }, 'KAFKA_SASL_PASSWORD_FILE', /cannot be read/);
    // SCRAM never sends the password, so it may run without TLS (the data itself is then in clear).
    assert.equal(load({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }).sasl?.mechanism, 'scram-sha-256');
  });
});

describe('Redis TLS settings', () => {
  const infra = (vars: Record<string, string>) => loadInfraConfig(new Env(vars));

  it('reads REDIS_TLS_CA and a client certificate with a rediss URL, single or cluster', () => {
    assert.match(infra({ REDIS_URL: 'rediss://app:pw@127.0.0.1:6380', REDIS_TLS_CA: CERT }).redisTls?.ca?.toString() ?? '', /BEGIN CERTIFICATE/);
    const c = infra({ REDIS_URL: 'rediss://:pw@x:1', REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001', REDIS_TLS_CA: CERT, REDIS_TLS_CERT: CERT, REDIS_TLS_KEY: KEY });
    assert.equal(c.redisUrl, 'rediss+cluster://:pw@127.0.0.1:7000,127.0.0.1:7001');
    assert.ok(c.redisTls?.cert && c.redisTls.key);
    assert.equal(infra({}).redisTls, undefined);
  });

  it('reads REDIS_URL from REDIS_URL_FILE (a mounted secret)', () => {
    const f = join(dir, 'redis-url');
    writeFileSync(f, 'rediss://imgate:pw@redis:6380\n');
    assert.equal(infra({ REDIS_URL_FILE: f }).redisUrl, 'rediss://imgate:pw@redis:6380');
  });

  it('refuses TLS files next to a plaintext URL, and half a client certificate', () => {
    assert.throws(() => infra({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_TLS_CA: CERT }), (e: unknown) => e instanceof ConfigError && e.variable === 'REDIS_TLS_CA' && /not rediss/.test(e.message));
    assert.throws(() => infra({ REDIS_URL: 'rediss://127.0.0.1:6379', REDIS_TLS_CERT: CERT }), (e: unknown) => e instanceof ConfigError && e.variable === 'REDIS_TLS_KEY');
  });
});
