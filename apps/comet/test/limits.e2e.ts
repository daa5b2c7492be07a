import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { credentials, type ServiceError, status } from '@grpc/grpc-js';
import { callUnary } from '@imgate/common';
import { loadLogicProto } from '@imgate/contracts';
import { CMD_PUSH, encodeSegment } from '@imgate/kcp';
import { Op } from '@imgate/protocol';
import { bodyJson, bodyText, type Cluster, metric, peerMetadata, post, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

// Each offender has its own loopback address; the neighbour is 127.0.0.2 and must keep working.
const NEIGHBOUR = '127.0.0.2';
const MANY_CONNS = '127.0.0.3';
const AUTH_FLOOD = '127.0.0.4';
const KCP_SENDER = '127.0.0.5';
const ONE_USER = '127.0.0.6';
const SENDER = '127.0.0.7';
const ROOMS = '127.0.0.8';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('limits: each trips for the offender only', () => {
  let cluster: Cluster;
  let neighbour: ProtoClient;
  let metricsUrl: string;
  let mid = 7_000;
  const open: ProtoClient[] = [];

  before(async () => {
    cluster = await startCluster({
      name: 'limits',
      env: {
        COMET_MAX_CONNS_PER_IP: '3',
        COMET_AUTH_RATE_PER_IP: '1',
        COMET_AUTH_BURST_PER_IP: '5',
        COMET_UPSTREAM_RATE: '5',
        COMET_UPSTREAM_BURST: '10',
        COMET_ROOM_OPS_RATE: '2',
        COMET_ROOM_OPS_BURST: '6',
        COMET_RATE_LIMIT_STRIKES: '30',
        COMET_MAX_ROOMS_TOTAL: '4',
        LOGIC_MAX_KEYS_PER_MID: '2',
        LOGIC_MAX_ONLINE_ROOMS: '100',
      },
    });
    metricsUrl = `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
    neighbour = await ProtoClient.tcp(cluster.comets[0].tcp, { localAddress: NEIGHBOUR });
    await neighbour.auth({ token: await signHs256({ mid: 500 }), room_id: 'live://n', accepts: [1000] });
  });
  after(async () => {
    for (const c of [neighbour, ...open]) if (c && !c.closed) c.close();
    await cluster?.stop();
  });

  async function client(transport: 'tcp' | 'ws' | 'kcp', localAddress: string): Promise<ProtoClient> {
    const comet = cluster.comets[0];
    const c =
      transport === 'tcp'
        ? await ProtoClient.tcp(comet.tcp, { localAddress })
        : transport === 'ws'
          ? await ProtoClient.ws(comet.wsUrl, { localAddress })
          : await ProtoClient.kcp(comet.kcp, { bindAddress: localAddress, conv: 0x80000000 + Math.floor(Math.random() * 0x7fffffff) });
    open.push(c);
    return c;
  }

  async function authed(localAddress: string, auth: object = {}, transport: 'tcp' | 'ws' | 'kcp' = 'tcp'): Promise<ProtoClient> {
    const c = await client(transport, localAddress);
    await c.auth({ token: await signHs256({ mid: ++mid }), accepts: [1000], ...auth });
    return c;
  }

  /** The neighbour's heartbeat is answered and a room push reaches it. */
  async function neighbourStillWorks(tag: string): Promise<void> {
    const from = neighbour.received.length;
    neighbour.send(Op.Heartbeat);
    await neighbour.next((p) => p.op === Op.HeartbeatReply, 5_000, from);
    assert.equal((await post(`${cluster.logic.url}/goim/push/room?operation=1000&type=live&room=n`, `after ${tag}`)).status, 200);
    await neighbour.next((p) => p.op === 1000 && bodyText(p) === `after ${tag}`, 10_000, from);
    assert.equal(neighbour.closed, false);
  }

  const limited = (limit: string) => metric(metricsUrl, 'imgate_comet_limited_total', `limit="${limit}"`);
  const refusal = async (c: ProtoClient, from = 0) => bodyJson<{ code: string }>(await c.next((p) => p.op === Op.DisconnectReply || p.op === Op.Error, 10_000, from)).code;

  it('connections per address, over TCP, WebSocket and KCP together: the 4th gets op 6 too_many_connections', async () => {
    const held = [await authed(MANY_CONNS, {}, 'tcp'), await authed(MANY_CONNS, {}, 'ws'), await authed(MANY_CONNS, {}, 'kcp')];
    const tcp4 = await client('tcp', MANY_CONNS);
    assert.equal(await refusal(tcp4), 'too_many_connections');
    await tcp4.closedPromise;
    const kcp4 = await client('kcp', MANY_CONNS);
    kcp4.send(Op.Heartbeat);
    assert.equal(await refusal(kcp4), 'too_many_connections');
    assert.ok((await limited('conns_per_ip')) >= 2);
    // The neighbour's address is another client: it connects as usual.
    await authed(NEIGHBOUR, {}, 'ws');
    await neighbourStillWorks('conns');
    held[1].close();
    await waitFor(async () => {
      const c = await client('tcp', MANY_CONNS);
      c.send(Op.Heartbeat);
      const p = await c.next((q) => q.op === Op.DisconnectReply || q.op === Op.HeartbeatReply || q.op === Op.Error, 5_000).catch(() => undefined);
      c.close();
      // Before auth a heartbeat is a line probe (answered with op 3): the slot was free. A full
      // address gets op 6 too_many_connections at accept instead.
      return p !== undefined && p.op === Op.HeartbeatReply;
    }, 10_000, 'a slot to free up once one connection closed');
    for (const c of held) c.close();
  });

  it('auth attempts per address: past the burst, op 6 rate_limited; the neighbour authenticates', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 9; i++) {
      const c = await client('tcp', AUTH_FLOOD);
      c.send(Op.Auth, JSON.stringify({ token: await signHs256({ mid: ++mid }) }));
      const p = await c.next((q) => q.op === Op.AuthReply || q.op === Op.DisconnectReply, 10_000);
      codes.push(p.op === Op.AuthReply ? 'ok' : bodyJson<{ code: string }>(p).code);
      c.close();
      await c.closedPromise;
    }
    assert.deepEqual(codes.slice(0, 5), ['ok', 'ok', 'ok', 'ok', 'ok']);
    assert.ok(codes.includes('rate_limited'), codes.join(','));
    assert.ok((await limited('auth_per_ip')) >= 1);
    const other = await authed(NEIGHBOUR);
    other.close();
    await neighbourStillWorks('auth');
  });

  it('upstream messages per connection: past the bucket op 22 rate_limited and the connection stays', async () => {
    const c = await authed(SENDER);
    const from = c.received.length;
    for (let i = 0; i < 30; i++) c.send(Op.SendMsg, `m${i}`);
    await waitFor(() => c.received.slice(from).filter((p) => p.op === Op.SendMsgReply || p.op === Op.Error).length === 30, 15_000, '30 answers');
    const answers = c.received.slice(from);
    const ok = answers.filter((p) => p.op === Op.SendMsgReply).length;
    const refused = answers.filter((p) => p.op === Op.Error && bodyJson<{ code: string }>(p).code === 'rate_limited').length;
    assert.equal(ok + refused, 30);
    assert.ok(ok >= 10 && ok <= 20, `${ok} accepted: the burst of 10 plus what 5/s refilled`);
    assert.equal(c.closed, false);
    await sleep(1_200);
    const again = c.received.length;
    c.send(Op.SendMsg, 'after a pause');
    assert.equal((await c.next((p) => p.op === Op.SendMsgReply || p.op === Op.Error, 10_000, again)).op, Op.SendMsgReply);
    // The neighbour's own messages are not limited by this sender's.
    const n = neighbour.received.length;
    neighbour.send(Op.SendMsg, 'neighbour says hi');
    assert.equal((await neighbour.next((p) => p.op === Op.SendMsgReply || p.op === Op.Error, 10_000, n)).op, Op.SendMsgReply);
    assert.ok((await limited('upstream')) >= 10);
    c.close();
  });

  it('sustained abuse: a sender that keeps going past its strikes is closed with op 6 rate_limited', async () => {
    const c = await authed(SENDER);
    for (let i = 0; i < 200; i++) c.send(Op.SendMsg, `flood ${i}`);
    const bye = await c.next((p) => p.op === Op.DisconnectReply, 15_000);
    assert.equal(bodyJson<{ code: string }>(bye).code, 'rate_limited');
    await c.closedPromise;
    assert.ok((await limited('strikes')) >= 1);
    await neighbourStillWorks('strikes');
  });

  it('operation codes outside the known ranges: op 22 unsupported_operation, counted, the connection stays', async () => {
    const c = await authed(SENDER);
    const from = c.received.length;
    c.send(500);
    c.send(0xfffffff0);
    await waitFor(() => c.received.slice(from).filter((p) => p.op === Op.Error).length === 2, 10_000, 'two errors');
    assert.deepEqual(c.received.slice(from).map((p) => bodyJson<{ code: string }>(p).code), ['unsupported_operation', 'unsupported_operation']);
    c.send(Op.Heartbeat);
    await c.op(Op.HeartbeatReply);
    assert.ok((await limited('operation_range')) >= 2);
    c.close();
  });

  it('room changes per connection, and rooms per comet: op 22, nothing changes for anyone else', async () => {
    const c = await authed(ROOMS);
    // Rooms on the comet now: live://n (the neighbour's). Three more reach COMET_MAX_ROOMS_TOTAL=4.
    for (const r of ['t1', 't2', 't3']) {
      c.send(Op.JoinRoom, `live://${r}`);
      await c.op(Op.JoinRoomReply);
    }
    let from = c.received.length;
    c.send(Op.JoinRoom, 'live://t4');
    assert.equal(await refusal(c, from), 'too_many_rooms');
    assert.ok((await limited('rooms_total')) >= 1);
    // Joining a room the comet already has creates nothing: allowed.
    const n = neighbour.received.length;
    neighbour.send(Op.JoinRoom, 'live://t1');
    assert.equal((await neighbour.next((p) => p.op === Op.JoinRoomReply || p.op === Op.Error, 10_000, n)).op, Op.JoinRoomReply);
    // Room-change bucket: burst 6, four used; a quick run of joins of an existing room is refused in part.
    from = c.received.length;
    for (let i = 0; i < 8; i++) c.send(Op.JoinRoom, 'live://n');
    const answers = () => c.received.slice(from).filter((p) => p.op === Op.JoinRoomReply || p.op === Op.Error);
    await waitFor(() => answers().length >= 8, 20_000, '8 answers').catch((err: Error) => {
      throw new Error(`${err.message}; got ${JSON.stringify(answers().map((p) => [p.op, p.seq, bodyText(p)]))}`);
    });
    const codes = c.received.slice(from).filter((p) => p.op === Op.Error).map((p) => bodyJson<{ code: string }>(p).code);
    assert.ok(codes.length >= 4 && codes.every((x) => x === 'rate_limited'), codes.join(','));
    assert.equal(c.closed, false);
    c.close();
    await neighbourStillWorks('rooms');
    neighbour.send(Op.LeaveRoom, 'live://t1');
    await neighbour.op(Op.LeaveRoomReply);
  });

  it('keys per mid (logic): a 3rd connection of one user gets op 6 too_many_connections, another user connects', async () => {
    const token = await signHs256({ mid: 777 });
    const first = await client('tcp', ONE_USER);
    await first.auth({ token });
    await (await client('tcp', ONE_USER)).auth({ token });
    const third = await client('tcp', ONE_USER);
    await assert.rejects(third.auth({ token }), /too_many_connections/);
    const other = await authed(NEIGHBOUR);
    other.close();
    first.close();
    await waitFor(async () => {
      const c = await client('tcp', ONE_USER);
      const ok = await c.auth({ token }).then(() => true, () => false);
      if (!ok) await sleep(500);
      return ok;
    }, 15_000, 'a key to be free once one connection of the user closed');
    await neighbourStillWorks('keys');
  });

  it('a KCP segment longer than the mss is dropped and counted; a neighbour over KCP carries on', async () => {
    const before = await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="oversized_segment"');
    const sock: Socket = await new Promise((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, KCP_SENDER, () => resolve(s));
    });
    const big = encodeSegment({ conv: 0x2468, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, new Uint8Array(1_400));
    sock.send(big, cluster.comets[0].kcp, '127.0.0.1');
    await waitFor(async () => (await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="oversized_segment"')) === before + 1, 5_000, 'the oversized segment to be counted');
    sock.close();
    const k = await authed(NEIGHBOUR, { room_id: 'live://n' }, 'kcp');
    assert.equal((await post(`${cluster.logic.url}/goim/push/room?operation=1000&type=live&room=n`, 'over kcp')).status, 200);
    await k.next((p) => p.op === 1000 && bodyText(p) === 'over kcp', 10_000);
    k.close();
  });

  it('logic refuses a RenewOnline with more rooms than LOGIC_MAX_ONLINE_ROOMS, or a room name too long', async () => {
    const Logic = loadLogicProto().imgate.logic.Logic;
    const logic = new Logic(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    try {
      const call = (roomCount: Record<string, number>) =>
        callUnary(logic.RenewOnline, logic, { server: 'intruder-1', roomCount, connCount: 1, ipCount: 1 }, 5_000, peerMetadata('comet', 'intruder-1')).then(
          () => assert.fail('accepted'),
          (e: ServiceError) => e,
        );
      let err = await call(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`live://${i}`, 1])));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      assert.match(err.details, /LOGIC_MAX_ONLINE_ROOMS/);
      err = await call({ [`live://${'x'.repeat(200)}`]: 1 });
      assert.equal(err.code, status.INVALID_ARGUMENT);
    } finally {
      logic.close();
    }
    assert.ok((await metric(`${cluster.logic.url}/metrics`, 'imgate_logic_limited_total', 'limit="online_rooms"')) >= 1);
    await neighbourStillWorks('renew');
  });
});
