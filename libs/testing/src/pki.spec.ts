import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestPki, roleUri } from './pki';

const dir = mkdtempSync(join(tmpdir(), 'imgate-pki-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('makeTestPki: a CA and role certificates that chain to it, with the role in a URI SAN', () => {
  const pki = makeTestPki(dir);
  const ca = new X509Certificate(readFileSync(pki.ca));
  assert.equal(ca.ca, true);
  const server = new X509Certificate(readFileSync(pki.server.cert));
  assert.ok(server.verify(ca.publicKey), 'server cert signed by the CA');
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(server.checkHost('localhost'), 'localhost');
  const comet = new X509Certificate(readFileSync(pki.comet('c-7').cert));
  assert.ok(comet.verify(ca.publicKey));
  assert.match(comet.subjectAltName ?? '', new RegExp(`URI:${roleUri('comet', 'c-7')}`));
  assert.match(new X509Certificate(readFileSync(pki.job.cert)).subjectAltName ?? '', /URI:imgate:\/\/job/);
  const other = makeTestPki(join(dir, 'other'), 'another CA');
  assert.equal(new X509Certificate(readFileSync(other.logic.cert)).verify(ca.publicKey), false, 'a second PKI does not chain to the first');
});
