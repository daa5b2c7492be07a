import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeNew, encodeNew } from './ext';
import { Kcp } from './kcp';
import {
  decodeMigration, encodeMigrateAck, encodeMigrateProof, encodeProveRequest, type HmacSha256, MIGRATE_ACK, MIGRATE_PROOF, MIGRATE_PROVE,
  migrationMacInput, verifyMigration,
} from './migrate';
import { CMD_PUSH, encodeSegment } from './segment';

const hmac: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();
const hex = (s: string): number[] => [...Buffer.from(s.replace(/\s+/g, ''), 'hex')];
const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const SECRET = Uint8Array.from(Array.from({ length: 32 }, (_, i) => i)); // 00 01 … 1f

// Hand-written: conv 0x80000001, counter 1, secret 00..1f. MAC = first 16 bytes of
// HMAC-SHA256(secret, 02 80000001 0000000000000001), computed independently with openssl-backed node:crypto.
const PROOF = Uint8Array.of(
  0x01, 0x00, 0x00, 0x80, 0x50, 0x00, 0x00, 0x00, // conv 0x80000001 LE, cmd 80, frg 0, wnd 0
  ...zeros(12), //                                   ts, sn, una
  0x2c, 0x00, 0x00, 0x00, //                         len 44
  0x02, 0x18, 0x00, 0x00, //                         ver 2, len 24, port 0
  ...zeros(16), //                                   address :: (a trusted relay may stamp it)
  ...zeros(7), 0x01, //                              counter 1, big-endian
  ...hex('3b9198f98ac3bde0754db746631b9fc2'), //     mac
);

describe('KCP migration (NEW ver 2, 3, 4)', () => {
  it('encodes the proof as the hand-written bytes and decodes it back', () => {
    assert.deepEqual(encodeMigrateProof(hmac, SECRET, 0x80000001, 1n), PROOF);
    const m = decodeMigration(PROOF);
    assert.ok(m && m.ver === MIGRATE_PROOF);
    assert.equal(m.conv, 0x80000001);
    assert.equal(m.counter, 1n);
    assert.equal(m.ip, '::');
    assert.equal(m.rest.length, 0);
    assert.equal(verifyMigration(hmac, SECRET, m), true);
  });

  it('covers version, conv and counter with the MAC', () => {
    assert.deepEqual([...migrationMacInput(2, 0x80000001, 1n)], hex('02 80000001 0000000000000001'));
    const m = decodeMigration(PROOF);
    assert.ok(m && m.ver !== MIGRATE_PROVE);
    const wrongSecret = SECRET.slice();
    wrongSecret[0] = 1;
    assert.equal(verifyMigration(hmac, wrongSecret, m), false, 'another secret');
    assert.equal(verifyMigration(hmac, SECRET, { ...m, counter: 2n }), false, 'a bumped counter');
    assert.equal(verifyMigration(hmac, SECRET, { ...m, conv: 0x80000002 }), false, 'another conv');
    assert.equal(verifyMigration(hmac, SECRET, { ...m, ver: MIGRATE_ACK }), false, 'a proof is no ack');
  });

  it('encodes the ack with the address the comet sends to and a MAC of its own', () => {
    const ack = encodeMigrateAck(hmac, SECRET, 0x80000001, 1n, '127.0.0.2', 40000);
    assert.deepEqual([...ack.subarray(24, 28)], [0x03, 0x18, 0x9c, 0x40]);
    assert.deepEqual([...ack.subarray(28 + 10, 28 + 16)], [0xff, 0xff, 127, 0, 0, 2]);
    assert.deepEqual([...ack.subarray(52)], hex('a9b87b88269b91fd627f87e2627112d3'));
    const m = decodeMigration(ack);
    assert.ok(m && m.ver === MIGRATE_ACK);
    assert.deepEqual([m.ip, m.port, m.counter], ['127.0.0.2', 40000, 1n]);
    assert.equal(verifyMigration(hmac, SECRET, m), true);
  });

  it('encodes the prove-request as a bare address block', () => {
    const p = encodeProveRequest(0x80000001, '10.0.0.7', 5000);
    assert.deepEqual([...p], [0x01, 0x00, 0x00, 0x80, 0x50, 0, 0, 0, ...zeros(12), 20, 0, 0, 0, 4, 0, 0x13, 0x88, ...zeros(10), 0xff, 0xff, 10, 0, 0, 7]);
    assert.deepEqual(decodeMigration(p), { ver: MIGRATE_PROVE, conv: 0x80000001, ip: '10.0.0.7', port: 5000 });
  });

  it('carries ordinary segments behind the proof, and the relay stamp still reads it', () => {
    const push = encodeSegment({ conv: 0x80000001, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, Uint8Array.of(42));
    const d = encodeMigrateProof(hmac, SECRET, 0x80000001, 7n, push);
    const m = decodeMigration(d);
    assert.ok(m && m.ver === MIGRATE_PROOF);
    assert.deepEqual(m.rest, push);
    const kcp = new Kcp(0x80000001, () => {});
    assert.equal(kcp.input(m.rest), 0);
    assert.deepEqual(kcp.recv(), Uint8Array.of(42));
    // A relay that stamps NEW datagrams (ver 0/1 layout) sees the same 20-byte address block first.
    assert.equal(decodeNew(d)?.ver, 2);
    assert.deepEqual(decodeNew(d)?.rest, push);
  });

  it('ignores relay stamps, other commands and cut bodies, and never throws on junk', () => {
    assert.equal(decodeMigration(encodeNew({ conv: 5, ip: '1.2.3.4', port: 1, ver: 1 })), null, 'a relay stamp');
    assert.equal(decodeMigration(PROOF.subarray(0, 60)), null, 'cut short');
    const shortLen = PROOF.slice();
    shortLen[20] = 30; // len 30: the proof block does not fit
    assert.equal(decodeMigration(shortLen), null);
    const badVer = PROOF.slice();
    badVer[24] = 9;
    assert.equal(decodeMigration(badVer), null);
    for (let i = 0; i < 2000; i++) {
      const junk = Uint8Array.from({ length: (i % 90) + 1 }, () => Math.floor(Math.random() * 256));
      if (i % 2 === 0 && junk.length >= 5) junk[4] = 80;
      decodeMigration(junk);
    }
  });

  it('resends what is in flight at once after the path changed', () => {
    const out: Uint8Array[] = [];
    const kcp = new Kcp(0x80000001, (d) => out.push(d));
    kcp.setNodelay(1, 10, 2, 1);
    kcp.update(0);
    kcp.send(Uint8Array.of(1, 2, 3));
    kcp.update(10);
    for (let t = 20; t < 3000; t += 10) kcp.update(t); // never acked: backs off
    const before = out.length;
    kcp.pathChanged();
    kcp.update(3000);
    assert.equal(out.length, before + 1, 'the segment went again at once');
    assert.equal(kcp.deadLink, false);
  });
});
