import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeMigration, encodeMigrateAck, type HmacSha256, MIGRATE_PROOF, type MigrationProof, verifyMigration } from '@imgate/kcp';
import { KcpMigrator } from './kcp-migrator.js';

const hmac: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();
const SECRET = new Uint8Array(32).fill(7);
const CONV = 0x80000042;
const reply = { kcp_secret: Buffer.from(SECRET).toString('base64') };

function proof(d: Uint8Array | undefined): MigrationProof {
  const m = d && decodeMigration(d);
  assert.ok(m && m.ver === MIGRATE_PROOF, 'a NEW ver 2');
  return m;
}

describe('KcpMigrator', () => {
  it('sends nothing without a secret (a stock conv, an older comet)', () => {
    const m = new KcpMigrator(CONV, hmac, 0);
    assert.equal(m.authenticated({}), false);
    assert.equal(m.start('rebind', 0), undefined);
    assert.equal(m.due(10_000, true), undefined);
  });

  it('proves the session at once after a rebind, with a rising counter, until the ack', () => {
    const m = new KcpMigrator(CONV, hmac, 0, { resendMs: 250 });
    assert.equal(m.authenticated(reply), true);
    const first = proof(m.start('rebind', 1000));
    assert.equal(first.counter, 1n);
    assert.equal(verifyMigration(hmac, SECRET, first), true);
    assert.equal(m.due(1100, false), undefined, 'not before resendMs');
    const again = proof(m.due(1250, false));
    assert.equal(again.counter, 2n);
    const ack = decodeMigration(encodeMigrateAck(hmac, SECRET, CONV, 2n, '127.0.0.2', 5000));
    assert.ok(ack);
    assert.deepEqual(m.acked(ack, 1300), { cause: 'rebind', ms: 300, address: '127.0.0.2:5000', moved: true });
    assert.equal(m.migrating, false);
    assert.equal(m.due(5000, false), undefined);
  });

  it('refuses an ack with a bad MAC or a counter it never sent', () => {
    const m = new KcpMigrator(CONV, hmac, 0);
    m.authenticated(reply);
    m.start('asked', 0);
    const forged = decodeMigration(encodeMigrateAck(hmac, new Uint8Array(32), CONV, 1n, '1.2.3.4', 1));
    const future = decodeMigration(encodeMigrateAck(hmac, SECRET, CONV, 9n, '1.2.3.4', 1));
    assert.ok(forged && future);
    assert.equal(m.acked(forged, 10), undefined);
    assert.equal(m.acked(future, 10), undefined);
    assert.equal(m.migrating, true);
  });

  it('probes after silence only when data waits for an ack or a stream stopped', () => {
    const m = new KcpMigrator(CONV, hmac, 0, { probeMs: 500 });
    m.authenticated(reply);
    m.heard(0);
    assert.equal(m.due(10_000, false), undefined, 'an idle link stays quiet');
    assert.equal(m.due(400, true), undefined, 'not before probeMs');
    assert.equal(proof(m.due(600, true)).counter, 1n);

    const s = new KcpMigrator(CONV, hmac, 0, { probeMs: 500 });
    s.authenticated(reply);
    for (const t of [100, 120, 140, 160]) s.heard(t);
    assert.equal(s.due(600, false), undefined);
    assert.ok(s.due(700, false), 'a stream that stopped is probed');
  });
});
