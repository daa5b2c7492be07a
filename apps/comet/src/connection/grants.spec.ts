import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { packet, setup, tick } from './connection.fixture';

const limited = {
  mid: 7, key: 'k7', roomId: 'live://1', accepts: [1000], heartbeatSec: 30, heartbeatMinSec: 10, heartbeatStepSec: 5, platform: 'ios',
  permissions: { roomsLimited: true, rooms: ['live://*', 'chat://9'], sendLimited: true, sendOps: [1000], subLimited: true, subOps: [1000, 1001], joinHook: false },
};

async function opened(permissions: Partial<typeof limited.permissions> = {}, logicOver = {}) {
  const s = setup({}, async () => ({ ...limited, permissions: { ...limited.permissions, ...permissions } }), logicOver);
  s.conn.onData(packet(Op.Auth, '{}'));
  await tick();
  assert.equal(s.link.last().op, Op.AuthReply);
  return s;
}

describe('Connection grants (token permissions)', () => {
  it('refuses op 12 and op 23 outside the granted rooms with forbidden_room, changing nothing', async () => {
    const { conn, link, buckets } = await opened();
    conn.onData(packet(Op.ChangeRoom, 'game://1'));
    await tick();
    assert.equal(link.last().op, Op.Error);
    assert.equal(link.json().code, 'forbidden_room');
    assert.equal(conn.roomId, 'live://1');
    conn.onData(packet(Op.JoinRoom, 'chat://90'));
    await tick();
    assert.equal(link.json().code, 'forbidden_room');
    assert.deepEqual(conn.roomList(), ['live://1']);
    assert.equal(buckets.roomSize('chat://90'), 0);
    // A prefix grant and an exact one.
    conn.onData(packet(Op.ChangeRoom, 'live://2'));
    await tick();
    assert.equal(link.last().op, Op.ChangeRoomReply);
    conn.onData(packet(Op.JoinRoom, 'chat://9'));
    await tick();
    assert.equal(link.last().op, Op.JoinRoomReply);
    assert.deepEqual(conn.roomList(), ['live://2', 'chat://9']);
  });

  it('refuses subscribing and sending operations outside the grants with forbidden_operation', async () => {
    const { conn, link, calls } = await opened();
    conn.onData(packet(Op.Sub, '1001,1002'));
    assert.equal(link.json().code, 'forbidden_operation');
    assert.deepEqual([...conn.accepts], [1000]);
    conn.onData(packet(Op.Sub, '1001'));
    assert.equal(link.last().op, Op.SubReply);
    conn.onData(packet(1005, 'x'));
    assert.equal(link.json().code, 'forbidden_operation');
    conn.onData(packet(Op.SendMsg, 'x'));
    assert.equal(link.json().code, 'forbidden_operation');
    conn.onData(packet(1000, 'ok'));
    await tick();
    assert.equal(link.last().op, Op.SendMsgReply);
    assert.deepEqual(calls.filter((c) => c === 'receive'), ['receive']);
  });

  it('asks the join hook after the grants; a refusal or an error refuses with the reason', async () => {
    let answer: () => Promise<{ allow: boolean; reason: string }> = async () => ({ allow: false, reason: 'banned from this room' });
    const asked: string[] = [];
    const { conn, link } = await opened({ joinHook: true }, {
      authorizeJoin: async (r: { room: string; platform: string }) => {
        asked.push(`${r.room} ${r.platform}`);
        return answer();
      },
    });
    conn.onData(packet(Op.JoinRoom, 'live://5'));
    await tick();
    assert.deepEqual(link.json(), { code: 'forbidden_room', reason: 'banned from this room' });
    answer = async () => Promise.reject(Object.assign(new Error('x'), { code: 14, details: 'join hook unreachable', metadata: {} }));
    conn.onData(packet(Op.ChangeRoom, 'live://6'));
    await tick();
    assert.equal(link.json().code, 'forbidden_room');
    assert.match(String(link.json().reason), /could not be checked.*join hook unreachable/);
    assert.equal(conn.roomId, 'live://1');
    answer = async () => ({ allow: true, reason: '' });
    conn.onData(packet(Op.JoinRoom, 'live://7'));
    await tick();
    assert.equal(link.last().op, Op.JoinRoomReply);
    // Outside the grants the hook is not even asked.
    conn.onData(packet(Op.JoinRoom, 'game://1'));
    await tick();
    assert.deepEqual(asked, ['live://5 ios', 'live://6 ios', 'live://7 ios']);
  });

  it('shares one grants object between connections with the same permissions', async () => {
    const a = await opened();
    const b = await opened();
    assert.ok(a.conn.grants);
    assert.equal(a.conn.grants, b.conn.grants);
    const c = await opened({ rooms: ['other://*'] });
    assert.notEqual(c.conn.grants, a.conn.grants);
  });

  it('carries no grants without limits (goim\'s behaviour)', async () => {
    const s = setup();
    s.conn.onData(packet(Op.Auth, '{}'));
    await tick();
    assert.equal(s.conn.grants, undefined);
  });
});
