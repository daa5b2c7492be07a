import pino from 'pino';
import { Registry } from 'prom-client';
import { decodeBatch, encode, type Packet } from '@imgate/protocol';
import { Env } from '@imgate/common';
import { Buckets } from '../bucket/buckets';
import { type CometConfig, loadCometConfig } from '../comet.config';
import { CometMetrics } from '../comet.metrics';
import type { SessionRenewals } from '../logic/session-renewals';
import type { Outbound } from '../push/outbound';
import type { Link } from '../transport/link';
import { AcceptSets } from './accept-sets';
import { Connection } from './connection';
import type { ConnectionContext } from './connection-context';
import { Deadlines, TICK_MS } from './deadlines';
import { IpLimits } from '../limits/ip-limits';
import { ResumeGate } from './resume-gate';

// Shared by the connection specs: a link that decodes what is written, and a connection wired to fakes.

export class FakeLink implements Link {
  readonly transport = 'tcp' as const;
  readonly remoteAddress = '10.1.2.3';
  readonly remotePort = 40_000;
  packets: Packet[] = [];
  pendingBytes = 0;
  ended = false;
  destroyed = false;
  /** Each write's packets, as one entry (a sync reply must be one write). */
  writes: Packet[][] = [];
  write(out: Outbound, checksum: boolean): void {
    const packets = decodeBatch(Uint8Array.from(out.stream(checksum)));
    this.writes.push(packets);
    this.packets.push(...packets);
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

export const tick = () => new Promise((r) => setImmediate(r));

export function setup(over: Partial<CometConfig> = {}, connect?: () => Promise<unknown>, logicOver: Partial<ConnectionContext['logic']> = {}) {
  const config = { ...loadCometConfig(new Env({ CLUSTER_AUTH: 'none' }), 'spec'), ...over };
  const buckets = new Buckets(config);
  const calls: string[] = [];
  const acked: string[] = [];
  const renewed: string[] = [];
  const renewals = { add: (mid: number, key: string) => renewed.push(`${mid} ${key}`), flush: () => undefined } as unknown as SessionRenewals;
  const deadlines = new Deadlines(config, buckets, renewals);
  const clock = { ticks: 1_000 };
  deadlines.now = () => clock.ticks;
  /** Moves the deadline clock on and runs a full sweep. */
  const advance = (ms: number) => {
    clock.ticks += Math.ceil(ms / TICK_MS);
    deadlines.sweepAll();
  };
  const accepts = new AcceptSets();
  const ctx: ConnectionContext = {
    config,
    buckets,
    deadlines,
    renewals,
    sessionUpdates: { add: () => undefined },
    resumeGate: new ResumeGate(),
    accepts,
    ipLimits: new IpLimits(config.limits.maxConnsPerIp, config.limits.authPerIp),
    acks: { add: (mid, device, stream, offset) => acked.push(`${mid} ${device} ${stream} ${offset}`) },
    metrics: new CometMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    rooms: { ready: async () => undefined, online: (room) => (room === 'live://1' ? 42 : 0) },
    logic: {
      connect: (connect ?? (async () => ({ mid: 7, key: 'k7', roomId: 'live://1', accepts: [1000], heartbeatSec: 30, heartbeatMinSec: 10, heartbeatStepSec: 5, platform: '' }))) as ConnectionContext['logic']['connect'],
      disconnect: async (mid: number, key: string) => {
        calls.push(`disconnect ${mid} ${key}`);
        return { has: true };
      },
      receive: async () => {
        calls.push('receive');
        return { partition: 0, offset: '1', duplicate: false };
      },
      sync: async () => {
        calls.push('sync');
        return { messages: [], results: [] };
      },
      authorizeJoin: async (req) => {
        calls.push(`authorizeJoin ${req.room}`);
        return { allow: true, reason: '' };
      },
      ...logicOver,
    },
  };
  const link = new FakeLink();
  const conn = new Connection(link, ctx, false);
  return { conn, link, buckets, calls, acked, config, ctx, advance, renewed, accepts, deadlines };
}

export const packet = (op: number, body = '', checksum = false) => encode({ op, seq: 9, body: new TextEncoder().encode(body), checksum });

