import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { decodeBatch, encode, Op, type Packet } from '@imgate/protocol';
import { Buckets } from '../bucket/buckets';
import { type CometConfig, loadCometConfig } from '../comet.config';
import { Env } from '@imgate/common';
import { CometMetrics } from '../metrics/comet.metrics';
import type { Outbound } from '../push/outbound';
import type { Link } from '../transport/link';
import { Connection } from './connection';
import type { ConnectionContext } from './connection-context';

class FakeLink implements Link {
  readonly transport = 'tcp' as const;
  readonly remoteAddress = '10.1.2.3';
  packets: Packet[] = [];
  pendingBytes = 0;
  ended = false;
  destroyed = false;
  write(out: Outbound, checksum: boolean): void {
    this.packets.push(...decodeBatch(Uint8Array.from(out.stream(checksum))));
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  last(): Packet {
    return this.packets.at(-1)!;
  }
  json(p = this.last()): Record<string, unknown> {
    return JSON.parse(new TextDecoder().decode(p.body));
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function setup(over: Partial<CometConfig> = {}, connect?: () => Promise<unknown>) {
  const config = { ...loadCometConfig(new Env({}), 'spec'), ...over };
  const buckets = new Buckets(config);
  const calls: string[] = [];
  const ctx: ConnectionContext = {
    config,
    buckets,
    metrics: new CometMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    rooms: { ready: async () => undefined, online: (room) => (room === 'live://1' ? 42 : 0) },
    logic: {
      connect: (connect ?? (async () => ({ mid: 7, key: 'k7', roomId: 'live://1', accepts: [1000], heartbeatSec: 30, heartbeatMinSec: 10, heartbeatStepSec: 5, platform: '' }))) as ConnectionContext['logic']['connect'],
      disconnect: async (mid: number, key: string) => {
        calls.push(`disconnect ${mid} ${key}`);
        return { has: true };
      },
      heartbeat: async () => ({ online: 0 }),
      receive: async () => {
        calls.push('receive');
        return { partition: 0, offset: '1' };
      },
    },
  };
  const link = new FakeLink();
  const conn = new Connection(link, ctx, false);
  return { conn, link, buckets, calls, config };
}

const packet = (op: number, body = '', checksum = false) => encode({ op, seq: 9, body: new TextEncoder().encode(body), checksum });

describe('Connection', () => {
  it('refuses any operation before auth, with op 6 and the reason', () => {
    const { conn, link } = setup();
    conn.onData(packet(Op.Heartbeat));
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

  it('closes an unauthenticated connection at the handshake deadline', async () => {
    const { conn, link } = setup({ handshakeTimeoutMs: 30 });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(link.json().code, 'handshake_timeout');
    assert.equal(conn.closed, true);
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
