import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Env } from '@imgate/common';
import { loadApiAuthConfig } from './api-auth.config';
import { type ApiDecision, type ApiRequest, decideApiRequest, isPublicPath } from './api-gate';

const K1 = 'k1-3f9a8b7c6d5e4f30a71c52e94d08b6f3e2c5a9';
const K2 = 'k2-0a1b2c3d4e5f60718293a4b5c6d7e8f9d4e7b1';
const keyed = loadApiAuthConfig(new Env({ LOGIC_API_KEYS: `${K1},${K2}`, LOGIC_CORS_ORIGINS: 'https://admin.example.org' }), 'refuse');
const open = loadApiAuthConfig(new Env({ LOGIC_API_AUTH: 'none' }), 'refuse');
const loopback = loadApiAuthConfig(new Env({}), 'loopback');

const req = (over: Partial<ApiRequest> = {}): ApiRequest => ({ method: 'POST', path: '/goim/push/all', host: '127.0.0.1:3111', loopbackPeer: true, ...over });
const reason = (d: ApiDecision) => (d.allow ? 'allowed' : d.preflight ? 'preflight' : `${d.status} ${d.reason}`);

describe('decideApiRequest', () => {
  it('key mode: no key 401, a wrong or malformed key 401, either of two rotated keys passes', () => {
    assert.equal(reason(decideApiRequest(keyed, req())), '401 missing_key');
    assert.equal(reason(decideApiRequest(keyed, req({ authorization: `Bearer ${K1}x` }))), '401 bad_key');
    assert.equal(reason(decideApiRequest(keyed, req({ authorization: K1 }))), '401 bad_key');
    assert.equal(reason(decideApiRequest(keyed, req({ authorization: `Bearer ${K1}` }))), 'allowed');
    assert.equal(reason(decideApiRequest(keyed, req({ authorization: `bearer  ${K2}` }))), 'allowed');
  });

  it('refuses browser-style requests: an Origin without a valid key, and preflights from unlisted origins', () => {
    assert.equal(reason(decideApiRequest(keyed, req({ origin: 'https://evil.example.net' }))), '403 browser_origin');
    assert.equal(reason(decideApiRequest(keyed, req({ method: 'OPTIONS', origin: 'https://evil.example.net' }))), '403 cors_preflight');
    assert.equal(reason(decideApiRequest(keyed, req({ method: 'OPTIONS', origin: 'https://admin.example.org' }))), 'preflight');
    // A listed origin still needs the key; with it, it gets CORS.
    assert.equal(reason(decideApiRequest(keyed, req({ origin: 'https://admin.example.org' }))), '401 missing_key');
    assert.deepEqual(decideApiRequest(keyed, req({ origin: 'https://admin.example.org', authorization: `Bearer ${K2}` })), { allow: true, cors: 'https://admin.example.org' });
    assert.deepEqual(decideApiRequest(keyed, req({ origin: 'https://other.example.org', authorization: `Bearer ${K2}` })), { allow: true, cors: undefined });
  });

  it('public paths need no key; near misses do', () => {
    for (const p of ['/health/live', '/health/ready', '/metrics', '/demo', '/demo/', '/demo/sdk/index.js', '/goim/nodes/weighted', '/goim/nodes/instances', '/v1/nodes']) assert.ok(isPublicPath(p), p);
    for (const p of ['/health/../goim/push/all', '/demo/../goim/push/all', '/demo/%2e%2e/x', '/metrics/', '/goim/online/total', '/v1/users/1/delivery', '/no/such/path', '/goim/push/all']) assert.ok(!isPublicPath(p), p);
    assert.equal(reason(decideApiRequest(keyed, req({ method: 'GET', path: '/health/ready', origin: 'https://evil.example.net' }))), 'allowed');
  });

  it('LOGIC_API_AUTH=none: keyless calls pass, browser-style ones still do not', () => {
    assert.equal(reason(decideApiRequest(open, req({ loopbackPeer: false }))), 'allowed');
    assert.equal(reason(decideApiRequest(open, req({ origin: 'https://evil.example.net' }))), '403 browser_origin');
  });

  it('loopback mode (embedded without keys): only loopback peers, and only logic’s own loopback origin', () => {
    assert.equal(reason(decideApiRequest(loopback, req())), 'allowed');
    assert.equal(reason(decideApiRequest(loopback, req({ origin: 'http://127.0.0.1:3111' }))), 'allowed');
    assert.equal(reason(decideApiRequest(loopback, req({ origin: 'http://localhost:3111', host: 'localhost:3111' }))), 'allowed');
    assert.equal(reason(decideApiRequest(loopback, req({ origin: 'http://localhost:8080' }))), '403 browser_origin');
    assert.equal(reason(decideApiRequest(loopback, req({ origin: 'http://rebound.example.net:3111', host: 'rebound.example.net:3111' }))), '403 browser_origin');
    assert.equal(reason(decideApiRequest(loopback, req({ origin: 'null' }))), '403 browser_origin');
    assert.equal(reason(decideApiRequest(loopback, req({ loopbackPeer: false }))), '403 not_loopback');
  });
});
