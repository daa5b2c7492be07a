import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import type { comet } from '@imgate/contracts';
import { BUSINESS_OP_MIN, Op } from '@imgate/protocol';
import { Buckets } from '../bucket/buckets';
import type { Channel } from '../bucket/channel';
import { CometMetrics } from '../comet.metrics';
import { fanOut } from './fan-out';
import { Outbound } from './outbound';
import { Incarnation } from '../incarnation';
import { messageIdOf, messageIdsOf, placeOf, streamBodies, type StreamPosIn } from './stream-forms';

export interface PushOutcome {
  delivered: number;
  missing: string[];
}

/** What became of job's list (DeliverReply). */
export interface DeliverOutcome {
  /** Connections written to. */
  delivered: number;
  /** Keyed items meant for an earlier process under this comet id: dropped. */
  stale: number;
  /** Keyed items none of whose keys this comet holds. */
  unreachable: number;
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
    private readonly incarnation: Incarnation,
  ) {}

  private latency(acceptedAtMs: number): void {
    if (acceptedAtMs > 0) this.metrics.pushLatency.observe(Math.max(0, Date.now() - acceptedAtMs) / 1000);
  }

  /**
   * To connections by key. With a message id, opted-in connections get op 27: at their key's place
   * in its user's stream when `positions` (parallel to keys) has one — keys of one user share that
   * place, so one op-27 form per place — else best-effort (no stream).
   */
  pushKeys(keys: string[], operation: number, body: Uint8Array, acceptedAtMs: number, messageId = '', positions: readonly StreamPosIn[] = []): PushOutcome {
    checkOp(operation);
    const id = messageIdOf(messageId);
    const missing: string[] = [];
    const channels: Channel[] = [];
    const out = new Outbound(operation, [body], 0, id === undefined ? undefined : streamBodies(operation, [body], [id], []));
    const placed = new Map<string, { out: Outbound; channels: Channel[] }>();
    for (let i = 0; i < keys.length; i++) {
      const ch = this.buckets.channel(keys[i]);
      if (!ch) {
        missing.push(keys[i]);
        continue;
      }
      const place = id !== undefined && ch.delivery ? placeOf(positions[i]) : undefined;
      if (!place) {
        channels.push(ch);
        continue;
      }
      const at = `${place.stream} ${place.epoch} ${place.offset}`;
      let group = placed.get(at);
      if (!group) placed.set(at, (group = { out: new Outbound(operation, [body], 0, streamBodies(operation, [body], [id!], [place])), channels: [] }));
      group.channels.push(ch);
    }
    let delivered = fanOut(channels, out, this.metrics);
    for (const group of placed.values()) delivered += fanOut(group.channels, group.out, this.metrics);
    if (delivered) this.latency(acceptedAtMs);
    return { delivered, missing };
  }

  /** With message ids (and the room stream's positions), parallel to `bodies`, opted-in members get op 27. */
  broadcastRoom(room: string, operation: number, bodies: Uint8Array[], acceptedAtMs: number, messageIds: readonly string[] = [], positions: readonly StreamPosIn[] = []): number {
    checkOp(operation);
    checkBodies(bodies);
    if (!room) throw RpcError.invalid('room is required');
    const ids = messageIdsOf(messageIds, bodies.length);
    const out = new Outbound(operation, bodies, 0, ids && streamBodies(operation, bodies, ids, bodies.map((_, i) => placeOf(positions[i]))));
    const delivered = fanOut(this.buckets.members(room), out, this.metrics);
    if (delivered) this.latency(acceptedAtMs);
    return delivered;
  }

  /** To every connection here; with a speed, paced at that many connections per second. */
  broadcast(operation: number, bodies: Uint8Array[], speed: number, acceptedAtMs: number, messageIds: readonly string[] = []): number {
    checkOp(operation);
    checkBodies(bodies);
    if (!Number.isInteger(speed) || speed < 0) throw RpcError.invalid('speed must be a non-negative integer');
    // Best-effort: opted-in clients get the ids (to drop a replayed duplicate), no stream.
    const ids = messageIdsOf(messageIds, bodies.length);
    const out = new Outbound(operation, bodies, 0, ids && streamBodies(operation, bodies, ids, []));
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

  /**
   * Job's ordered list: applied strictly in order. A push to keys that logic accepted before this
   * process started names the earlier process's connections (a client that resumed its key here
   * gets later pushes under it): dropped and counted, never written to whoever holds the key now;
   * reliable-delivery clients pull it from their streams when they reconnect.
   */
  deliver(items: comet.Delivery__Output[]): DeliverOutcome {
    const out: DeliverOutcome = { delivered: 0, stale: 0, unreachable: 0 };
    for (const item of items) {
      const { push, room, all } = item;
      if (push) {
        if (this.incarnation.predates(push.acceptedAtMs)) {
          out.stale++;
          this.metrics.staleDeliveries.inc();
          continue;
        }
        const r = this.pushKeys(push.keys, push.operation, push.body, push.acceptedAtMs, push.messageId, push.positions);
        out.delivered += r.delivered;
        if (r.delivered === 0 && r.missing.length > 0) out.unreachable++;
      } else if (room) out.delivered += this.broadcastRoom(room.room, room.operation, room.bodies, room.acceptedAtMs, room.messageIds, room.positions);
      else if (all) out.delivered += this.broadcast(all.operation, all.bodies, all.speed, all.acceptedAtMs, all.messageIds);
      else throw RpcError.invalid('a delivery item must hold push, room or all');
    }
    return out;
  }

  /** `codeName`: the op-21 code clients see (e.g. `replaced`); else the numeric code as text. */
  kick(keys: string[], mids: number[], code: number, reason: string, codeName = ''): number {
    const channels = new Set(keys.map((k) => this.buckets.channel(k)).filter((c) => c !== undefined));
    for (const mid of mids) for (const ch of this.buckets.byMid(mid)) channels.add(ch);
    for (const ch of channels) ch.close(reason || 'kicked', Op.Kick, codeName || String(code));
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
