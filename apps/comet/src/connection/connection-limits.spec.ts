import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { loadCometConfig } from '../comet.config';
import { Env } from '@imgate/common';
import { Connection } from './connection';
import { FakeLink, packet, setup, tick } from './connection.fixture';

const limits = (over: Record<string, string>) => loadCometConfig(new Env({ CLUSTER_AUTH: 'none', ...over }), 'spec').limits;

async function authed(over: Record<string, string>) {
  const s = setup({ limits: limits(over) });
  s.conn.onData(packet(Op.Auth, '{}'));
  await tick();
  assert.equal(s.link.last().op, Op.AuthReply);
  return s;
}

const codeOf = (s: Awaited<ReturnType<typeof authed>>, i: number) => s.link.json(s.link.packets[i]).code;

describe('Connection limits', () => {
  it('upstream past its bucket: op 22 rate_limited, the connection stays, logic is not called', async () => {
    const s = await authed({ COMET_UPSTREAM_RATE: '1', COMET_UPSTREAM_BURST: '2' });
    for (let i = 0; i < 3; i++) s.conn.onData(packet(Op.SendMsg, 'x'));
    await tick();
    const ops = s.link.packets.slice(1).map((p) => p.op);
    assert.deepEqual(ops.sort(), [Op.SendMsgReply, Op.SendMsgReply, Op.Error].sort());
    assert.equal(s.link.json(s.link.packets.find((p) => p.op === Op.Error)).code, 'rate_limited');
    assert.deepEqual(s.calls, ['receive', 'receive']);
    assert.equal(s.conn.closed, false);
    assert.equal((await s.ctx.metrics.limited.get()).values.find((v) => v.labels.limit === 'upstream')?.value, 1);
  });

  it('room changes have their own bucket', async () => {
    const s = await authed({ COMET_ROOM_OPS_RATE: '1', COMET_ROOM_OPS_BURST: '1' });
    s.conn.onData(packet(Op.JoinRoom, 'live://2'));
    s.conn.onData(packet(Op.JoinRoom, 'live://3'));
    await tick();
    assert.equal(codeOf(s, s.link.packets.findIndex((p) => p.op === Op.Error)), 'rate_limited');
    assert.equal(s.buckets.roomSize('live://3'), 0);
    s.conn.onData(packet(Op.SendMsg, 'still fine'));
    await tick();
    assert.equal(s.link.last().op, Op.SendMsgReply);
  });

  it('sustained abuse uses up the strikes: op 6 rate_limited and the connection ends', async () => {
    const s = await authed({ COMET_UPSTREAM_RATE: '1', COMET_UPSTREAM_BURST: '1', COMET_RATE_LIMIT_STRIKES: '3' });
    for (let i = 0; i < 10; i++) s.conn.onData(packet(Op.SendMsg, 'x'));
    await tick();
    assert.equal(s.conn.closed, true);
    assert.equal(s.link.last().op, Op.DisconnectReply);
    assert.equal(s.link.json().code, 'rate_limited');
    assert.equal(s.link.packets.filter((p) => p.op === Op.Error).length, 3);
  });

  it('an operation outside the known ranges is refused and counted', async () => {
    const s = await authed({});
    s.conn.onData(packet(500));
    s.conn.onData(packet(0x80000000));
    assert.deepEqual(s.link.packets.slice(1).map((p) => [p.op, s.link.json(p).code]), [
      [Op.Error, 'unsupported_operation'],
      [Op.Error, 'unsupported_operation'],
    ]);
    assert.equal(s.calls.includes('receive'), false);
    assert.equal((await s.ctx.metrics.limited.get()).values.find((v) => v.labels.limit === 'operation_range')?.value, 2);
  });

  it('a join that would add a room past COMET_MAX_ROOMS_TOTAL is refused; joining an existing room is not', async () => {
    const s = await authed({ COMET_MAX_ROOMS_TOTAL: '2' });
    s.conn.onData(packet(Op.JoinRoom, 'live://2'));
    await tick();
    s.conn.onData(packet(Op.JoinRoom, 'live://3'));
    await tick();
    assert.equal(s.link.last().op, Op.Error);
    assert.equal(s.link.json().code, 'too_many_rooms');
    assert.equal(s.buckets.roomCounts().size, 2);
  });

  it('auth attempts per address: past the bucket, op 6 rate_limited before logic is asked', async () => {
    let asked = 0;
    const s = setup({ limits: limits({ COMET_AUTH_RATE_PER_IP: '1', COMET_AUTH_BURST_PER_IP: '1' }) }, async () => {
      asked++;
      return { mid: 7, key: `k${asked}`, roomId: '', accepts: [], heartbeatSec: 30, heartbeatMinSec: 10, heartbeatStepSec: 5, platform: '' };
    });
    s.conn.onData(packet(Op.Auth, '{}'));
    await tick();
    const link2 = new FakeLink();
    const conn2 = new Connection(link2, s.ctx, false);
    conn2.onData(packet(Op.Auth, '{}'));
    await tick();
    assert.equal(asked, 1);
    assert.equal(link2.json().code, 'rate_limited');
    assert.equal(conn2.closed, true);
  });

  it('connections per address are counted while open and released on close', async () => {
    const s = setup({ limits: limits({ COMET_MAX_CONNS_PER_IP: '1' }) });
    assert.equal(s.conn.admit(), true);
    assert.equal(s.ctx.ipLimits.connections('10.1.2.3'), 1);
    assert.equal(s.ctx.ipLimits.admit('10.1.2.3'), false);
    s.conn.onClose();
    assert.equal(s.ctx.ipLimits.connections('10.1.2.3'), 0);
  });
});
