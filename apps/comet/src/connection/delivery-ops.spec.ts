import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeStreamMessage, encode, encodeAck, encodeSendWithId, encodeSync, Op, parseSyncReply } from '@imgate/protocol';
import type { ConnectionContext } from './connection-context';
import { packet, setup, tick } from './connection.fixture';

const optedIn = async () => ({
  mid: 7,
  key: 'k7',
  roomId: 'live://1',
  accepts: [1000],
  heartbeatSec: 30,
  heartbeatMinSec: 10,
  heartbeatStepSec: 5,
  platform: 'ios',
  delivery: true,
  device: 'phone-1',
  heads: [
    { stream: 'u:7', epoch: 5, head: 17 },
    { stream: 'r:live://1', epoch: 9, head: 40 },
  ],
});

type Logic = ConnectionContext['logic'];
type SyncArg = Parameters<Logic['sync']>[0];
type ReceiveArg = Parameters<Logic['receive']>[0];

async function opened(logic: Partial<Logic> = {}) {
  const s = setup({}, optedIn, logic);
  s.conn.onData(packet(Op.Auth, '{"token":"t","delivery":true}'));
  await tick();
  return s;
}

const raw = (op: number, body: Uint8Array, seq = 9) => encode({ op, seq, body });

describe('DeliveryOps', () => {
  it('adds the device and stream heads to the auth reply of a client that opted in', async () => {
    const { conn, link } = await opened();
    assert.equal(link.last().op, Op.AuthReply);
    assert.deepEqual(link.json().delivery, {
      device: 'phone-1',
      streams: { 'u:7': { epoch: 5, head: '17' }, 'r:live://1': { epoch: 9, head: '40' } },
    });
    assert.equal(conn.delivery, true);
    assert.equal(conn.device, 'phone-1');
    conn.onClose();
  });

  it('answers ops 18, 28 and 30 with op 22 unsupported_operation when the client did not opt in', async () => {
    const { conn, link, calls, acked } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    assert.equal('delivery' in link.json(), false);
    for (const [op, body] of [
      [Op.Sync, encodeSync({ streams: [{ stream: 'u:7', last: 5 }] })],
      [Op.Ack, encodeAck(new Map([['u:7', 3n]]))],
      [Op.SendWithId, encodeSendWithId({ id: 'a', operation: 4, payload: new Uint8Array(0) })],
    ] as const) {
      conn.onData(raw(op, body));
      await tick();
      assert.equal(link.last().op, Op.Error);
      assert.equal(link.json().code, 'unsupported_operation');
    }
    assert.deepEqual(calls, []);
    assert.deepEqual(acked, []);
    conn.onClose();
  });

  it('denies a stream that is not the client’s without asking logic', async () => {
    const { conn, link, calls } = await opened();
    conn.onData(raw(Op.Sync, encodeSync({ streams: [{ stream: 'r:live://2', last: 10 }, { stream: 'u:8', epoch: 1, offset: 0n }] })));
    await tick();
    assert.deepEqual(calls, []);
    assert.equal(link.last().op, Op.SyncReply);
    assert.equal(link.last().seq, 9);
    assert.deepEqual(parseSyncReply(link.last().body).streams, [
      { stream: 'r:live://2', status: 'denied' },
      { stream: 'u:8', status: 'denied' },
    ]);
    conn.onClose();
  });

  it('writes the synced messages as op-27 packets and then op 29 in one write', async () => {
    const asked: SyncArg[] = [];
    const { conn, link } = await opened({
      sync: async (req) => {
        asked.push(req);
        return {
          messages: [
            { stream: 'u:7', epoch: 5, offset: 16, id: '900', operation: 1000, body: Buffer.from('a') },
            { stream: 'u:7', epoch: 5, offset: 17, id: '901', operation: 1001, body: Buffer.from('b') },
          ],
          results: [{ stream: 'u:7', epoch: 5, head: 17, status: 'ok', next: 0 }],
        };
      },
    });
    conn.onData(packet(Op.JoinRoom, 'live://2'));
    await tick();
    const writes = link.writes.length;
    conn.onData(raw(Op.Sync, encodeSync({ streams: [{ stream: 'u:7', epoch: 5, offset: 15n }, { stream: 'u:8', last: 1 }], limit: 50 }), 33));
    await tick();
    assert.deepEqual(asked, [{ mid: 7, key: 'k7', limit: 50, streams: [{ stream: 'u:7', epoch: 5, offset: '15' }] }]);
    assert.equal(link.writes.length, writes + 1, 'one write');
    const [m1, m2, done] = link.writes.at(-1)!;
    assert.deepEqual([m1.op, m2.op, done.op], [Op.Message, Op.Message, Op.SyncReply]);
    assert.equal(done.seq, 33);
    const first = decodeStreamMessage(m1.body);
    assert.deepEqual({ ...first, payload: Buffer.from(first.payload).toString() }, { stream: 'u:7', epoch: 5, offset: 16n, id: 900n, operation: 1000, payload: 'a' });
    assert.equal(decodeStreamMessage(m2.body).offset, 17n);
    assert.deepEqual(parseSyncReply(done.body).streams, [
      { stream: 'u:7', status: 'ok', epoch: 5, head: 17n },
      { stream: 'u:8', status: 'denied' },
    ]);
    conn.onClose();
  });

  it('syncs a room the client joined, and answers sync_failed when logic is unavailable', async () => {
    const asked: SyncArg[] = [];
    const unavailable = Object.assign(new Error('no connection'), { code: 14, details: 'no connection', metadata: {} });
    const { conn, link } = await opened({
      sync: async (req) => {
        asked.push(req);
        throw unavailable;
      },
    });
    conn.onData(raw(Op.Sync, encodeSync({ streams: [{ stream: 'r:live://1', last: 20 }] })));
    await tick();
    assert.deepEqual(asked[0].streams, [{ stream: 'r:live://1', last: 20 }]);
    assert.equal(link.last().op, Op.Error);
    assert.deepEqual(link.json(), { code: 'sync_failed', reason: 'no connection' });
    conn.onData(raw(Op.Sync, new TextEncoder().encode('{"streams":[]}')));
    assert.equal(link.json().code, 'bad_sync');
    assert.equal(conn.closed, false);
    conn.onClose();
  });

  it('forwards only the ack of the client’s own user stream, and answers op 19 only for a non-zero seq', async () => {
    const { conn, link, acked } = await opened();
    const before = link.packets.length;
    conn.onData(raw(Op.Ack, encodeAck(new Map([['u:7', 17n], ['r:live://1', 40n], ['u:8', 3n]])), 0));
    assert.deepEqual(acked, ['7 phone-1 u:7 17']);
    assert.equal(link.packets.length, before, 'no reply to seq 0');
    conn.onData(raw(Op.Ack, encodeAck(new Map([['r:live://1', 41n]])), 12));
    assert.deepEqual(acked, ['7 phone-1 u:7 17']);
    assert.equal(link.last().op, Op.AckReply);
    assert.equal(link.last().seq, 12);
    assert.equal(link.last().body.length, 0);
    conn.onData(raw(Op.Ack, new TextEncoder().encode('{"u:7": 5}'), 13));
    assert.equal(link.json().code, 'bad_ack');
    conn.onClose();
  });

  it('sends op 30 to logic with the client message id and its operation, in order with op 4, then op 5', async () => {
    const received: ReceiveArg[] = [];
    const { conn, link } = await opened({
      receive: async (req) => {
        received.push(req);
        return { partition: 0, offset: '1', duplicate: false };
      },
    });
    conn.onData(raw(Op.SendWithId, encodeSendWithId({ id: 'm-1', operation: 1002, payload: Buffer.from('hi') }), 21));
    conn.onData(raw(Op.SendMsg, Buffer.from('plain'), 22));
    conn.onData(raw(Op.SendWithId, encodeSendWithId({ id: 'm-2', operation: 4, payload: Buffer.from('yo') }), 23));
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(
      received.map((r) => [r.operation, r.clientMsgId, Buffer.from(r.body as Uint8Array).toString(), r.seq]),
      [
        [1002, 'm-1', 'hi', 21],
        [4, '', 'plain', 22],
        [4, 'm-2', 'yo', 23],
      ],
    );
    const replies = link.packets.filter((p) => p.op === Op.SendMsgReply).map((p) => p.seq);
    assert.deepEqual(replies, [21, 22, 23]);
    conn.onData(raw(Op.SendWithId, Uint8Array.of(0)));
    assert.equal(link.json().code, 'bad_send_with_id');
    conn.onClose();
  });
});
