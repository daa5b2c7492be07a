import { decodeStreamMessage, Op, type Packet, ProtocolError, parseSyncReply, type SyncPosition } from '@imgate/protocol';
import type { ErrorEvent, ImgateMessage, RecoveryFailedEvent } from '../events.js';
import type { DeliveryOptions } from '../options.js';
import type { Clock, TimerHandle, Timers } from '../timers.js';
import { streamMessage } from '../wire.js';
import { AckBatcher } from './ack-batcher.js';
import { authDelivery } from './auth-delivery.js';
import { PositionSaver } from './position-saver.js';
import { sanitizePositions } from './position-store.js';
import { type StreamReset, StreamTracker, type StreamUpdate } from './stream-tracker.js';
import { syncBodies } from './sync-bodies.js';

/** How Delivery reaches the connection and the application. */
export interface DeliveryPort {
  /** Writes a packet on the open connection (seq 0 unless `reply`, then a fresh one); false when none is open. */
  send(op: number, body: Uint8Array, reply: boolean): boolean;
  message(m: ImgateMessage): void;
  recoveryFailed(e: RecoveryFailedEvent): void;
  error(e: ErrorEvent): void;
}

/**
 * The client side of reliable delivery (docs/delivery.md) on a live connection: feeds op 27 and
 * op 29 through the StreamTracker and hands the app what it releases, sends op 28 when the
 * tracker asks (at connect, for gaps, for `more`), acks in batches (op 18), and saves positions.
 * The pure pieces decide; this class owns their two timers and the I/O.
 */
export class Delivery {
  /** Settles once saved positions are loaded: the first connection waits for it, so its sync starts from them. */
  readonly ready: Promise<void>;
  private readonly tracker: StreamTracker;
  private readonly acks: AckBatcher;
  private readonly saver: PositionSaver | undefined;
  private open = false;
  private closed = false;
  private gapTimer: TimerHandle | undefined;
  private ackTimer: TimerHandle | undefined;

  constructor(
    private readonly opts: DeliveryOptions,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly port: DeliveryPort,
  ) {
    this.tracker = new StreamTracker(clock, { gapWaitMs: opts.gapWaitMs, recent: opts.recent });
    this.acks = new AckBatcher(clock, { ackIntervalMs: opts.ackIntervalMs });
    const store = opts.positions;
    if (store === undefined) {
      this.ready = Promise.resolve();
      return;
    }
    this.saver = new PositionSaver(store, () => this.tracker.snapshot(), timers, clock, {
      intervalMs: opts.saveIntervalMs,
      onError: (err) => port.error({ code: 'positions_not_saved', reason: (err as Error).message }),
    });
    // A store that fails to load costs a resync from the heads, not the client.
    this.ready = Promise.resolve()
      .then(() => store.load())
      .then(
        (saved) => this.tracker.restore(sanitizePositions(saved)),
        () => undefined,
      );
  }

  /** What the auth body (op 7) adds to opt in. */
  authFields(): Record<string, unknown> {
    return this.opts.device === undefined ? { delivery: true } : { delivery: true, device: this.opts.device };
  }

  /**
   * A connection was authenticated (and its rooms restore requests sent). With the reply's
   * delivery block, syncs what the app is behind on and re-acks; a server that did not opt the
   * connection in gets neither op 28 nor op 18.
   */
  connected(reply: Record<string, unknown>): void {
    const d = authDelivery(reply);
    this.open = d !== undefined;
    if (d === undefined) return;
    this.acks.connected();
    this.apply(this.tracker.connected(d.heads));
  }

  disconnected(): void {
    this.open = false;
    this.timers.clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.timers.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  /** Takes the delivery packets (op 27, 29, 19); false for any other. */
  packet(p: Packet): boolean {
    if (this.closed) return p.op === Op.Message || p.op === Op.SyncReply || p.op === Op.AckReply;
    try {
      switch (p.op) {
        case Op.Message:
          this.apply(this.tracker.receive(decodeStreamMessage(p.body)), p.seq);
          return true;
        case Op.SyncReply:
          this.apply(this.tracker.applySyncReply(parseSyncReply(p.body)));
          return true;
        case Op.AckReply:
          return true;
        default:
          return false;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      // One bad body is skipped; a gap it leaves is pulled from history like any other.
      this.port.error({ code: err.code, reason: err.message, op: p.op });
      return true;
    }
  }

  /**
   * Asks for whatever followed the positions held (op 28 for every tracked stream). A message
   * that never came live is otherwise noticed only when the next one of its stream arrives or at
   * the next reconnect; an app calls this when it matters now (e.g. back in the foreground).
   */
  recover(): void {
    this.sync(this.tracker.positions());
  }

  /** Stops tracking a stream (a room left). */
  forget(stream: string): void {
    this.tracker.forget(stream);
    this.acks.forget(stream);
    this.saver?.touch();
  }

  /** The client closes: a last ack while the link is still up, the positions saved, no more timers. */
  close(): Promise<void> {
    if (this.open) for (let body = this.acks.take(true); body; body = this.acks.take(true)) this.port.send(Op.Ack, body, false);
    this.disconnected();
    this.closed = true;
    return this.saver?.flush() ?? Promise.resolve();
  }

  private apply(u: StreamUpdate, seq = 0): void {
    for (const r of u.resets) {
      if (r.reason === 'denied') this.acks.forget(r.stream);
      else this.acks.delivered(r.stream, r.to.epoch, r.to.offset, 0);
      this.port.recoveryFailed(recoveryFailed(r));
    }
    let ackNow = false;
    for (const m of u.messages) {
      if (this.closed) return; // a listener closed the client
      if (m.stream !== '') ackNow = this.acks.delivered(m.stream, m.epoch, m.offset) || ackNow;
      this.port.message(streamMessage(m, seq));
    }
    if (this.closed) return;
    if (u.resets.length > 0 || u.messages.some((m) => m.stream !== '')) this.saver?.touch();
    this.sync(u.sync);
    if (ackNow) this.ack();
    this.scheduleGap();
    this.scheduleAck();
  }

  private sync(positions: readonly SyncPosition[]): void {
    if (!this.open) return;
    for (const body of syncBodies(positions)) this.port.send(Op.Sync, body, true);
  }

  private ack(): void {
    if (!this.open) return;
    for (let body = this.acks.take(); body; body = this.acks.take()) this.port.send(Op.Ack, body, false);
  }

  /** One timer for the earliest gap (or unanswered sync) that falls due. */
  private scheduleGap(): void {
    this.timers.clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    const at = this.tracker.nextDueAt();
    if (at === undefined || !this.open) return;
    this.gapTimer = this.timers.setTimeout(
      () => {
        this.gapTimer = undefined;
        this.sync(this.tracker.due());
        this.scheduleGap();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  private scheduleAck(): void {
    this.timers.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    const at = this.acks.dueAt();
    if (at === undefined || !this.open) return;
    this.ackTimer = this.timers.setTimeout(
      () => {
        this.ackTimer = undefined;
        this.ack();
        this.scheduleAck();
      },
      Math.max(0, at - this.clock.now()),
    );
  }
}

function recoveryFailed(r: StreamReset): RecoveryFailedEvent {
  return {
    stream: r.stream,
    reason: r.reason,
    epoch: r.to.epoch,
    head: r.to.offset.toString(),
    from: { epoch: r.from.epoch, offset: r.from.offset.toString() },
  };
}
