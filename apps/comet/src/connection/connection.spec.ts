import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { Connection } from './connection';
import { FakeLink, packet, setup, tick } from './connection.fixture';
import { TICK_MS } from './deadlines';

describe('Connection', () => {
  it('answers a line probe (op 2) before auth and keeps waiting for the auth', () => {
    const { conn, link } = setup();
    conn.onData(packet(Op.Heartbeat));
    assert.equal(link.last().op, Op.HeartbeatReply);
    assert.equal(link.ended, false);
    assert.equal(conn.closed, false);
  });

  it('refuses any other operation before auth, with op 6 and the reason', () => {
    const { conn, link } = setup();
    conn.onData(packet(Op.SendMsg));
    assert.equal(link.last().op, Op.DisconnectReply);
    assert.equal(link.json().code, 'op_before_auth');
    assert.equal(link.ended, true);
    assert.equal(conn.closed, true);
  });

  it('authenticates through logic, registers the channel and answers op 8 in the client header mode', async () => {
    const { conn, link, buckets } = setup();
    conn.onData(packet(Op.Auth, '{"token":"t"}', true));
    await tick();
    assert.equal(link.last().op, Op.AuthReply);
    assert.equal(link.last().seq, 9);
    assert.equal(link.last().checksum, true);
    assert.deepEqual(link.json(), { mid: 7, key: 'k7', room_id: 'live://1', heartbeat: 30, heartbeat_min: 10, heartbeat_step: 5 });
    assert.equal(buckets.channel('k7'), conn);
    assert.equal(buckets.roomSize('live://1'), 1);
    conn.onData(packet(Op.Heartbeat, '', true));
    assert.equal(link.last().op, Op.HeartbeatReply);
    assert.equal(new DataView(link.last().body.buffer, link.last().body.byteOffset).getInt32(0), 42);
    conn.onClose();
  });

  it("turns a refused auth into op 6 auth_failed with logic's reason, and registers nothing", async () => {
    const refused = Object.assign(new Error('token expired'), { code: 16, details: 'token expired', metadata: {} });
    const { conn, link, buckets } = setup({}, async () => Promise.reject(refused));
    conn.onData(packet(Op.Auth, '{"token":"old"}'));
    await tick();
    assert.deepEqual(link.json(), { code: 'auth_failed', reason: 'token expired' });
    assert.equal(buckets.size, 0);
    assert.equal(conn.closed, true);
  });

  it('answers op 4 with op 5 after logic took it, and tells logic when the client leaves', async () => {
    const { conn, link, calls } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    conn.onData(packet(Op.SendMsg, 'hi'));
    await tick();
    assert.equal(link.last().op, Op.SendMsgReply);
    assert.equal(link.last().seq, 9);
    conn.onClose();
    assert.deepEqual(calls, ['receive', 'disconnect 7 k7']);
  });

  it('moves rooms and operation filters with ops 12, 14 and 16', async () => {
    const { conn, link, buckets } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    conn.onData(packet(Op.ChangeRoom, 'live://2'));
    await tick();
    assert.equal(link.last().op, Op.ChangeRoomReply);
    assert.deepEqual([buckets.roomSize('live://1'), buckets.roomSize('live://2')], [0, 1]);
    conn.onData(packet(Op.Sub, '1001,1002'));
    conn.onData(packet(Op.Unsub, '1000'));
    assert.deepEqual([...conn.accepts].sort(), [1001, 1002]);
    conn.onData(packet(Op.Sub, 'x'));
    assert.equal(link.json().code, 'bad_operations');
    conn.onClose();
  });

  it('cuts a slow consumer without writing more to it', async () => {
    const { conn, link, buckets, config } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    link.pendingBytes = config.maxPendingBytes;
    const before = link.packets.length;
    conn.onData(packet(Op.Heartbeat));
    assert.equal(link.destroyed, true);
    assert.equal(link.packets.length, before);
    assert.equal(buckets.size, 0);
  });

  it('measures a slow consumer by the bytes it would be sent, not an estimate', async () => {
    const { conn, link, config } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    // A heartbeat reply is 20 bytes on TCP (16-byte header + int32): room for exactly that is enough.
    link.pendingBytes = config.maxPendingBytes - 20;
    conn.onData(packet(Op.Heartbeat));
    assert.equal(link.destroyed, false);
    assert.equal(link.last().op, Op.HeartbeatReply);
    link.pendingBytes = config.maxPendingBytes - 19;
    conn.onData(packet(Op.Heartbeat));
    assert.equal(link.destroyed, true);
  });

  it('closes an unauthenticated connection at the handshake deadline, not before', () => {
    const { conn, link, advance } = setup({ handshakeTimeoutMs: 2_000 });
    advance(2_000);
    assert.equal(conn.closed, false);
    advance(TICK_MS);
    assert.equal(link.json().code, 'handshake_timeout');
    assert.equal(conn.closed, true);
  });

  it('closes a silent authenticated connection at its heartbeat deadline; any packet re-arms it', async () => {
    const { conn, link, advance, buckets } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    // heartbeat 30 s: two missed (60 s) plus 5 s of slack.
    advance(60_000);
    conn.onData(packet(Op.Heartbeat));
    advance(65_000);
    assert.equal(conn.closed, false);
    advance(TICK_MS);
    assert.equal(link.json().code, 'heartbeat_timeout');
    assert.equal(conn.closed, true);
    assert.equal(buckets.size, 0);
  });

  it('queues a session refresh on the sweep once the refresh period passed, only if heard from since', async () => {
    const { conn, advance, renewed, config } = setup();
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    advance(config.sessionRefreshMs - TICK_MS);
    conn.onData(packet(Op.Heartbeat));
    assert.deepEqual(renewed, []);
    advance(TICK_MS);
    assert.deepEqual(renewed, ['7 k7']);
    advance(config.sessionRefreshMs);
    assert.deepEqual(renewed, ['7 k7'], 'nothing heard since the last refresh: nothing to renew');
    conn.onData(packet(Op.Heartbeat));
    advance(TICK_MS);
    assert.deepEqual(renewed, ['7 k7', '7 k7']);
    conn.onClose();
  });

  it('shares one accepts set between connections with the same list, and lets it go when the last closes', async () => {
    let n = 0;
    const a = setup({}, async () => ({ mid: 7, key: `k${++n}`, roomId: 'live://1', accepts: [1000], heartbeatSec: 30, heartbeatMinSec: 10, heartbeatStepSec: 5, platform: '' }));
    const b = new Connection(new FakeLink(), a.ctx, false);
    a.conn.onData(packet(Op.Auth, '{}'));
    b.onData(packet(Op.Auth, '{}'));
    await tick();
    assert.equal(a.conn.accepts, b.accepts);
    assert.equal(a.accepts.size, 1);
    b.onData(packet(Op.Sub, '1001'));
    assert.notEqual(a.conn.accepts, b.accepts);
    assert.deepEqual([...b.accepts].sort(), [1000, 1001]);
    assert.deepEqual([...a.conn.accepts], [1000]);
    assert.equal(a.accepts.size, 2);
    a.conn.onClose();
    b.onClose();
    assert.equal(a.accepts.size, 0);
  });

  it('joins further rooms with op 23, promotes one to the main room with op 12, and leaves with op 25', async () => {
    const { conn, link, buckets } = setup({ maxRooms: 3 });
    conn.onData(packet(Op.Auth, '{}'));
    await tick();
    conn.onData(packet(Op.JoinRoom, 'live://2'));
    conn.onData(packet(Op.JoinRoom, 'live://3'));
    await tick();
    assert.deepEqual(conn.roomList().sort(), ['live://1', 'live://2', 'live://3']);
    conn.onData(packet(Op.JoinRoom, 'live://4'));
    await tick();
    assert.equal(link.json().code, 'too_many_rooms');
    conn.onData(packet(Op.ChangeRoom, 'live://3'));
    await tick();
    assert.equal(conn.roomId, 'live://3');
    assert.deepEqual(conn.roomList().sort(), ['live://2', 'live://3']);
    assert.deepEqual([1, 2, 3].map((n) => buckets.roomSize(`live://${n}`)), [0, 1, 1]);
    conn.onData(packet(Op.LeaveRoom, 'live://3'));
    assert.equal(conn.roomId, '');
    conn.onData(packet(Op.LeaveRoom, 'live://3'));
    assert.equal(link.json().code, 'not_in_room');
    conn.onClose();
    assert.equal(buckets.roomSize('live://2'), 0);
  });

  it('over WebSocket, decodes each message as whole packets and refuses one cut inside a packet', async () => {
    const a = setup();
    const link = new FakeLink();
    const ws = new Connection(link, a.ctx, true);
    const auth = packet(Op.Auth, '{}');
    ws.onData(auth);
    await tick();
    assert.equal(link.last().op, Op.AuthReply);
    const hb = packet(Op.Heartbeat);
    ws.onData(hb.subarray(0, 10));
    assert.equal(link.json().code, 'bad_packet_len');
    assert.equal(ws.closed, true);
  });

  it('rejects a malformed header with its protocol error code', () => {
    const { conn, link } = setup();
    const bad = packet(Op.Auth, '{}');
    bad[5] = 17; // headerLen 17
    conn.onData(bad);
    assert.equal(link.json().code, 'bad_header_len');
    assert.equal(conn.closed, true);
  });
});
