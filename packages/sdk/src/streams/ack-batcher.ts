import { encodeAck, MAX_BODY_STREAMS } from '@imgate/protocol';
import type { Clock } from '../timers.js';

export interface AckBatcherOptions {
  /** Least time between two acks, ms, unless maxPending forces one. Default 1000. */
  ackIntervalMs?: number;
  /** Messages delivered and not yet acked that make an ack due at once. Default 64. */
  maxPending?: number;
}

interface Acked {
  epoch: number;
  offset: bigint;
  /** Not yet in an ack sent. */
  dirty: boolean;
}

/**
 * Cumulative acks (op 18, docs/delivery.md): the highest delivered offset per stream, sent at
 * most every ackIntervalMs (counted from the first message left unacked), or at once when
 * maxPending messages are unacked; nothing when nothing changed. Pure: the caller asks when an
 * ack is due (dueAt) and sends what take() returns.
 */
export class AckBatcher {
  private readonly streams = new Map<string, Acked>();
  private readonly intervalMs: number;
  private readonly maxPending: number;
  private unacked = 0;
  private firstUnackedAt: number | undefined;

  constructor(
    private readonly clock: Clock,
    opts: AckBatcherOptions = {},
  ) {
    this.intervalMs = Math.max(0, opts.ackIntervalMs ?? 1_000);
    this.maxPending = Math.max(1, Math.floor(opts.maxPending ?? 64));
  }

  /** Messages delivered since the last ack. */
  get pending(): number {
    return this.unacked;
  }

  /**
   * The app holds `stream` up to `offset` under `epoch`; `messages` is how many messages that was
   * (0 for a jump without messages, as after a reset). A new epoch replaces the offset even if it
   * is lower. Returns true when an ack is due at once (maxPending reached).
   */
  delivered(stream: string, epoch: number, offset: bigint, messages = 1): boolean {
    const a = this.streams.get(stream);
    if (a !== undefined && a.epoch === epoch && offset <= a.offset) return this.unacked >= this.maxPending;
    this.streams.set(stream, { epoch, offset, dirty: true });
    this.unacked += messages;
    this.firstUnackedAt ??= this.clock.now();
    return this.unacked >= this.maxPending;
  }

  /** When an ack becomes due, or undefined when there is nothing to ack: the time to set one timer for. */
  dueAt(): number | undefined {
    if (this.firstUnackedAt === undefined) return undefined;
    return this.unacked >= this.maxPending ? this.firstUnackedAt : this.firstUnackedAt + this.intervalMs;
  }

  /**
   * The op-18 body when an ack is due (or `force`, e.g. before closing), else undefined; what it
   * returns counts as sent. At most 64 streams go in one body: the rest stay due, call again.
   */
  take(force = false): Uint8Array | undefined {
    const due = this.dueAt();
    if (due === undefined || (!force && this.clock.now() < due)) return undefined;
    const batch = new Map<string, bigint>();
    for (const [stream, a] of this.streams) {
      if (!a.dirty) continue;
      if (batch.size === MAX_BODY_STREAMS) return encodeAck(batch);
      batch.set(stream, a.offset);
      a.dirty = false;
    }
    this.unacked = 0;
    this.firstUnackedAt = undefined;
    return batch.size > 0 ? encodeAck(batch) : undefined;
  }

  /** A new connection: the last acks may never have arrived, so every stream goes in the next ack, due at once. */
  connected(): void {
    for (const a of this.streams.values()) a.dirty = true;
    if (this.streams.size > 0) this.firstUnackedAt = this.clock.now() - this.intervalMs;
  }

  /** Stops acking a stream (a room left, a stream denied). */
  forget(stream: string): void {
    this.streams.delete(stream);
  }
}
