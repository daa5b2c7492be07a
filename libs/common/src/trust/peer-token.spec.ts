import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata } from '@grpc/grpc-js';
import { GrpcStatus } from '../grpc/rpc-error';
import { identifyPeer, peersOfCertificate, PeerRefused, requireSameComet } from './peer-identity';
import { PEER_METADATA, PEER_TOKEN_SKEW_SEC, signPeerToken, verifyPeerToken } from './peer-token';

const secret = Buffer.from('s3cr3t-for-peer-tokens-0123456789abcdef');
const now = 1_800_000_000;

function call(opts: { token?: string; san?: string }) {
  const metadata = new Metadata();
  if (opts.token) metadata.set(PEER_METADATA, opts.token);
  return { metadata, getAuthContext: () => (opts.san === undefined ? {} : { transportSecurityType: 'ssl', sslPeerCertificate: { subjectaltname: opts.san } as never }) };
}

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof PeerRefused) return `${GrpcStatus[err.code]} ${err.reason}`;
    throw err;
  }
  return 'accepted';
};

describe('peer tokens (CLUSTER_SECRET)', () => {
  it('round-trips a role and id; a wrong secret, a tampered field or an old timestamp proves nothing', () => {
    const token = signPeerToken(secret, { role: 'comet', id: 'comet-1.a:b' }, now);
    assert.deepEqual(verifyPeerToken(secret, token, now + 10), { role: 'comet', id: 'comet-1.a:b' });
    assert.deepEqual(verifyPeerToken(Buffer.from('another-secret-0123456789abcdefghij'), token, now), { refused: 'bad_token' });
    assert.deepEqual(verifyPeerToken(secret, token.replace('comet-1.a:b', 'comet-2'), now), { refused: 'bad_token' });
    assert.deepEqual(verifyPeerToken(secret, token.replace(' comet ', ' job '), now), { refused: 'bad_token' });
    assert.deepEqual(verifyPeerToken(secret, token, now + PEER_TOKEN_SKEW_SEC + 1), { refused: 'stale_token' });
    assert.deepEqual(verifyPeerToken(secret, 'garbage', now), { refused: 'bad_token' });
    assert.deepEqual(verifyPeerToken(secret, signPeerToken(secret, { role: 'job', id: '' }, now), now), { role: 'job', id: '' });
  });
});

describe('identifyPeer', () => {
  const secretTrust = { mode: 'secret' as const, secret };
  const tlsTrust = { mode: 'tls' as const };

  it('secret mode: no proof is UNAUTHENTICATED, the wrong role PERMISSION_DENIED', () => {
    assert.equal(refusal(() => identifyPeer(secretTrust, call({}), ['comet'], now)), 'UNAUTHENTICATED no_proof');
    assert.equal(refusal(() => identifyPeer(secretTrust, call({ token: 'v1 comet x 1 AAAA' }), ['comet'], now)), 'UNAUTHENTICATED bad_token');
    assert.equal(refusal(() => identifyPeer(secretTrust, call({ token: signPeerToken(secret, { role: 'job', id: '' }, now) }), ['comet'], now)), 'PERMISSION_DENIED wrong_role');
    assert.deepEqual(identifyPeer(secretTrust, call({ token: signPeerToken(secret, { role: 'logic', id: '' }, now) }), ['job', 'logic'], now), { role: 'logic', id: '' });
  });

  it('tls mode: the role and comet id come from the certificate’s imgate:// URI SAN, never from metadata', () => {
    assert.deepEqual(peersOfCertificate('DNS:localhost, IP Address:127.0.0.1, URI:imgate://comet/comet-7'), [{ role: 'comet', id: 'comet-7' }]);
    assert.deepEqual(peersOfCertificate('URI:imgate://job, URI:https://example.org/x'), [{ role: 'job', id: '' }]);
    assert.deepEqual(peersOfCertificate('URI:imgate://admin/x, URI:imgate://comet/a b'), []);
    assert.equal(refusal(() => identifyPeer(tlsTrust, call({ san: 'DNS:localhost' }), ['comet'], now)), 'UNAUTHENTICATED no_certificate_role');
    assert.equal(refusal(() => identifyPeer(tlsTrust, call({ token: signPeerToken(secret, { role: 'comet', id: 'c' }, now) }), ['comet'], now)), 'UNAUTHENTICATED no_certificate_role');
    assert.equal(refusal(() => identifyPeer(tlsTrust, call({ san: 'URI:imgate://job' }), ['comet'], now)), 'PERMISSION_DENIED wrong_role');
    const peer = identifyPeer(tlsTrust, call({ san: 'URI:imgate://comet/comet-7' }), ['comet'], now);
    assert.equal(refusal(() => requireSameComet(peer, 'comet-8')), 'PERMISSION_DENIED wrong_comet');
    assert.equal(refusal(() => requireSameComet(peer, 'comet-7')), 'accepted');
  });

  it('CLUSTER_AUTH=none: no check', () => {
    assert.equal(identifyPeer({ mode: 'none' }, call({}), ['comet'], now), undefined);
  });
});
