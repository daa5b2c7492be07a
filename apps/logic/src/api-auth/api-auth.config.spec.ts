import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Env } from '@imgate/common';
import { loadApiAuthConfig } from './api-auth.config';

const refused = (vars: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadApiAuthConfig(new Env(vars), 'refuse'), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));

describe('loadApiAuthConfig', () => {
  it('refuses to run without keys unless LOGIC_API_AUTH=none, naming the variable', () => {
    refused({}, /^invalid configuration: LOGIC_API_KEYS must be set/);
    assert.equal(loadApiAuthConfig(new Env({ LOGIC_API_AUTH: 'none' }), 'refuse').mode, 'none');
    assert.equal(loadApiAuthConfig(new Env({}), 'loopback').mode, 'loopback');
    assert.equal(loadApiAuthConfig(new Env({ LOGIC_API_KEYS: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8' }), 'loopback').mode, 'key');
  });

  it('refuses short, repetitive and placeholder keys, duplicates and an open API with keys', () => {
    refused({ LOGIC_API_KEYS: 'short-key' }, /LOGIC_API_KEYS key 1 of 1 must be at least 32 characters/);
    refused({ LOGIC_API_KEYS: `a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8,${'ab'.repeat(20)}` }, /key 2 of 2 has too few distinct characters/);
    refused({ LOGIC_API_KEYS: 'REPLACE-ME-with-a-random-key-of-32-characters' }, /placeholder/);
    refused({ LOGIC_API_KEYS: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8,a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8' }, /the same key twice/);
    refused({ LOGIC_API_AUTH: 'none', LOGIC_API_KEYS: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8' }, /^invalid configuration: LOGIC_API_AUTH is none/);
    refused({ LOGIC_API_AUTH: 'none', LOGIC_CORS_ORIGINS: 'evil.example.net' }, /LOGIC_CORS_ORIGINS must list origins/);
  });

  it('keeps only digests of the keys', () => {
    const cfg = loadApiAuthConfig(new Env({ LOGIC_API_KEYS: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8' }), 'refuse');
    assert.equal(cfg.keys.length, 1);
    assert.equal(cfg.keys[0].length, 32);
    assert.ok(!cfg.keys[0].toString('latin1').includes('a1b2c3'));
  });
});
