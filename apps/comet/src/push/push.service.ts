import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import type { comet } from '@imgate/contracts';
import { BUSINESS_OP_MIN, Op } from '@imgate/protocol';
import { Buckets } from '../bucket/buckets';
import type { Channel } from '../bucket/channel';
import { CometMetrics } from '../comet.metrics';
import { fanOut } from './fan-out';
import { Outbound } from './outbound';

export interface PushOutcome {
  delivered: number;
  missing: string[];
}

const PACE_TICK_MS = 100;

function checkOp(operation: number): void {
  if (!Number.isInteger(operation) || operation < BUSINESS_OP_MIN) throw RpcError.invalid(`operation ${operation} is not a business operation`);
}

function checkBodies(bodies: readonly Uint8Array[]): void {
  if (bodies.length === 0 || bodies.length > 10_000) throw RpcError.invalid('bodies must hold 1-10000 messages');
}

/** Pushes, room broadcasts and broadcasts to all, written from prepared buffers. */
@Injectable()
export class PushService implements OnApplicationShutdown {
  /** Paced broadcasts run one after another in the background. */
  private paced: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly buckets: Buckets,
    private readonly metrics: CometMetrics,
  ) {}

  private latency(acceptedAtMs: number): void {
    if (acceptedAtMs > 0) this.metrics.pushLatency.observe(Math.max(0, Date.now() - acceptedAtMs) / 1000);
  }

  pushKeys(keys: string[], operation: number, body: Uint8Array, acceptedAtMs: number): PushOutcome {
    checkOp(operation);
    const missing: string[] = [];
    const channels: Channel[] = [];
    for (const key of keys) {
      const ch = this.buckets.channel(key);
      if (ch) channels.push(ch);
      else missing.push(key);
    }
    const delivered = fanOut(channels, new Outbound(operation, [body]), this.metrics);
    if (delivered) this.latency(acceptedAtMs);
    return { delivered, missing };
  }

  broadcastRoom(room: string, operation: number, bodies: Uint8Array[], acceptedAtMs: number): number {
    checkOp(operation);
    checkBodies(bodies);
    if (!room) throw RpcError.invalid('room is required');
    const delivered = fanOut(this.buckets.members(room), new Outbound(operation, bodies), this.metrics);
    if (delivered) this.latency(acceptedAtMs);
    return delivered;
  }

  /** To every connection here; with a speed, paced at that many connections per second. */
  broadcast(operation: number, bodies: Uint8Array[], speed: number, acceptedAtMs: number): number {
    checkOp(operation);
    checkBodies(bodies);
    if (!Number.isInteger(speed) || speed < 0) throw RpcError.invalid('speed must be a non-negative integer');
    const out = new Outbound(operation, bodies);
    if (speed === 0) {
      const delivered = fanOut(this.buckets.all(), out, this.metrics);
      if (delivered) this.latency(acceptedAtMs);
      return delivered;
    }
    const targets = [...this.buckets.all()];
    this.paced = this.paced.then(() => this.pace(targets, out, speed, acceptedAtMs));
    return targets.length;
  }

  private async pace(targets: Channel[], out: Outbound, speed: number, acceptedAtMs: number): Promise<void> {
    const perTick = Math.max(1, Math.round((speed * PACE_TICK_MS) / 1000));
    const tickMs = (perTick * 1000) / speed;
    for (let i = 0; i < targets.length && !this.stopping; i += perTick) {
      fanOut(targets.slice(i, i + perTick), out, this.metrics);
      if (i + perTick < targets.length) await new Promise((r) => setTimeout(r, tickMs));
    }
    this.latency(acceptedAtMs);
  }

  /** Job's ordered list: applied strictly in order. */
  deliver(items: comet.Delivery__Output[]): number {
    let delivered = 0;
    for (const item of items) {
      if (item.push) delivered += this.pushKeys(item.push.keys, item.push.operation, item.push.body, item.push.acceptedAtMs).delivered;
      else if (item.room) delivered += this.broadcastRoom(item.room.room, item.room.operation, item.room.bodies, item.room.acceptedAtMs);
      else if (item.all) delivered += this.broadcast(item.all.operation, item.all.bodies, item.all.speed, item.all.acceptedAtMs);
      else throw RpcError.invalid('a delivery item must hold push, room or all');
    }
    return delivered;
  }

  kick(keys: string[], mids: number[], code: number, reason: string): number {
    const channels = new Set(keys.map((k) => this.buckets.channel(k)).filter((c) => c !== undefined));
    for (const mid of mids) for (const ch of this.buckets.byMid(mid)) channels.add(ch);
    for (const ch of channels) ch.close(reason || 'kicked', Op.Kick, String(code));
    return channels.size;
  }

  rooms(): Record<string, number> {
    return Object.fromEntries(this.buckets.roomCounts());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.paced;
  }
}
