import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { CMD_RECONNECT, decodeMigration, encodeMigrateProof, MIGRATE_ACK, MIGRATE_PROOF, MIGRATE_PROVE, type MigrationProof } from '@imgate/kcp';
import { CometMetrics } from '../comet.metrics';
import { hmacSha256, KcpMigrations } from './kcp-migration';
import { KcpSession } from './kcp-session';

const CONV = 0x80000010;

function setup() {
  const registry = new Registry();
  const metrics = new CometMetrics(registry);
  const sent: Array<{ d: Uint8Array; to: string }> = [];
  const session = new KcpSession(`${CONV}|10.0.0.1|1000`, CONV, { ip: '10.0.0.1', port: 1000 }, '10.0.0.1', 1000, {
    window: 128, intervalMs: 10, mtu: 1400, send: () => undefined, wake: () => undefined, release: () => undefined,
  });
  session.authExtras();
  let limitReached = false;
  const migrations = new KcpMigrations(
    {
      withConv: (conv) => (conv === CONV ? [session] : []),
      move: (s, to) => {
        if (limitReached) return false;
        s.peer = to;
        return true;
      },
      send: (d, to) => sent.push({ d, to: `${to.ip}:${to.port}` }),
    },
    metrics,
    pino({ level: 'silent' }),
  );
  const count = async (result: string) => (await metrics.kcpMigrations.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  const proof = (counter: bigint, secret = session.secret!): MigrationProof => {
    const m = decodeMigration(encodeMigrateProof(hmacSha256, secret, CONV, counter));
    assert.ok(m && m.ver === MIGRATE_PROOF);
    return m;
  };
  return { session, migrations, sent, count, proof, limit: () => (limitReached = true) };
}

describe('KcpMigrations', () => {
  it('moves the session on a good proof, acks to the new address, and refuses a replay', async () => {
    const s = setup();
    assert.equal(s.migrations.onProof(s.proof(5n), { ip: '10.0.0.2', port: 2000 }), s.session);
    assert.deepEqual(s.session.peer, { ip: '10.0.0.2', port: 2000 });
    assert.equal(s.session.remoteAddress, '10.0.0.2');
    const ack = decodeMigration(s.sent[0].d);
    assert.equal(s.sent[0].to, '10.0.0.2:2000');
    assert.ok(ack && ack.ver === MIGRATE_ACK);
    assert.equal(ack.counter, 5n);
    assert.equal(await s.count('moved'), 1);

    assert.equal(s.migrations.onProof(s.proof(5n), { ip: '10.0.0.3', port: 3000 }), undefined, 'the same counter again');
    assert.equal(s.migrations.onProof(s.proof(4n), { ip: '10.0.0.3', port: 3000 }), undefined, 'an older one');
    assert.equal(await s.count('replayed'), 2);
    assert.deepEqual(s.session.peer, { ip: '10.0.0.2', port: 2000 });
    assert.equal(s.sent.length, 1, 'nothing answers a replay');
  });

  it('ignores a proof made with another secret, and one before the secret was handed out', async () => {
    const s = setup();
    assert.equal(s.migrations.onProof(s.proof(1n, new Uint8Array(32)), { ip: '10.0.0.9', port: 9 }), undefined);
    assert.equal(await s.count('forged'), 1);
    assert.equal(s.sent.length, 0);
    s.session.secretIssued = false;
    assert.equal(s.migrations.onProof(s.proof(2n), { ip: '10.0.0.9', port: 9 }), undefined);
    assert.equal(s.sent[0].d[4], CMD_RECONNECT, 'no authenticated session with that conv: start over');
    assert.equal(await s.count('unknown_conv'), 1);
  });

  it('refreshes from the same address, and keeps the session where it was when the new address is full', async () => {
    const s = setup();
    assert.equal(s.migrations.onProof(s.proof(1n), { ip: '10.0.0.1', port: 1000 }), s.session);
    assert.equal(await s.count('refreshed'), 1);
    s.limit();
    assert.equal(s.migrations.onProof(s.proof(2n), { ip: '10.0.0.7', port: 7 }), undefined);
    assert.equal(await s.count('address_limit'), 1);
    assert.equal(s.session.counter, 1n, 'a refused move does not burn the counter');
  });

  it('asks a stray segment\'s sender to prove itself, at most every 200 ms', () => {
    const s = setup();
    assert.equal(s.migrations.onStray(CONV, { ip: '10.0.0.5', port: 5 }), true);
    assert.equal(s.migrations.onStray(CONV, { ip: '10.0.0.5', port: 5 }), true);
    assert.equal(s.sent.length, 1);
    assert.equal(decodeMigration(s.sent[0].d)?.ver, MIGRATE_PROVE);
    assert.equal(s.migrations.onStray(0x80000099, { ip: '10.0.0.5', port: 5 }), false, 'an unknown conv is not ours to handle');
  });
});
