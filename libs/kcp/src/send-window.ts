import { Fifo } from './fifo';
import { WND_RCV } from './receive-window';
import { timeDiff, u32 } from './u32';

/** A message fragment on the sending side, from the send queue to its last ack. */
export class Outgoing {
  sn = 0;
  /** Time of the latest transmission, echoed back in the ack. */
  ts = 0;
  resendts = 0;
  rto = 0;
  /** Acks for later segments seen since the last transmission. */
  fastack = 0;
  /** Transmissions so far. */
  xmit = 0;

  constructor(
    readonly frg: number,
    readonly data: Uint8Array,
  ) {}
}

/**
 * The sending half of the engine: messages wait in `queue` (unbounded, the
 * application's backlog) until the window admits them into `flight`, where
 * they stay, ascending by sn, until acked.
 */
export class SendWindow {
  /** Oldest unacked sn (ikcp's snd_una). */
  una = 0;
  /** Next sn to assign (ikcp's snd_nxt). */
  nxt = 0;
  private readonly queue = new Fifo<Outgoing>();
  private inFlight: Outgoing[] = [];

  get queued(): number {
    return this.queue.length;
  }

  get flight(): readonly Outgoing[] {
    return this.inFlight;
  }

  /**
   * Splits `data` into mss-sized fragments (copies). Returns 0, or -2 when
   * it needs WND_RCV or more. Stream mode first tops up the last queued
   * segment; unlike ikcp 1.7.1 it refuses the whole write rather than
   * accepting part of it.
   */
  enqueue(data: Uint8Array, mss: number, stream: boolean): number {
    let offset = 0;
    if (stream) {
      const last = this.queue.last();
      const room = last !== undefined && last.data.length < mss ? mss - last.data.length : 0;
      const extend = Math.min(data.length, room);
      const rest = data.length - extend;
      if (rest > 0 && Math.ceil(rest / mss) >= WND_RCV) return -2;
      if (last !== undefined && room > 0) {
        const merged = new Uint8Array(last.data.length + extend);
        merged.set(last.data, 0);
        merged.set(data.subarray(0, extend), last.data.length);
        this.queue.replaceLast(new Outgoing(0, merged));
        if (rest === 0) return 0;
        offset = extend;
      }
    }

    const len = data.length - offset;
    const count = len <= mss ? 1 : Math.ceil(len / mss);
    if (count >= WND_RCV) return -2;
    for (let i = 0; i < count; i++) {
      const size = Math.min(mss, data.length - offset);
      this.queue.push(new Outgoing(stream ? 0 : count - i - 1, data.slice(offset, offset + size)));
      offset += size;
    }
    return 0;
  }

  /** Moves queued segments into flight, numbering them, while fewer than `cwnd` are unacked. */
  admit(cwnd: number): void {
    while (timeDiff(this.nxt, u32(this.una + cwnd)) < 0) {
      const seg = this.queue.shift();
      if (seg === undefined) return;
      seg.sn = this.nxt;
      this.nxt = u32(this.nxt + 1);
      this.inFlight.push(seg);
    }
  }

  /** Cumulative ack: the peer has everything below `una`. */
  ackBelow(una: number): void {
    let count = 0;
    while (count < this.inFlight.length && timeDiff(una, this.inFlight[count].sn) > 0) count++;
    if (count > 0) this.inFlight.splice(0, count);
  }

  /** Selective ack of one sn. */
  ack(sn: number): void {
    if (timeDiff(sn, this.una) < 0 || timeDiff(sn, this.nxt) >= 0) return;
    for (let i = 0; i < this.inFlight.length; i++) {
      const seg = this.inFlight[i];
      if (seg.sn === sn) {
        this.inFlight.splice(i, 1);
        return;
      }
      if (timeDiff(sn, seg.sn) < 0) return;
    }
  }

  /** Recomputes `una` after acks (ikcp_shrink_buf). */
  shrink(): void {
    this.una = this.inFlight.length > 0 ? this.inFlight[0].sn : this.nxt;
  }

  /**
   * Segments overtaken by the ack for `sn` may be lost: count towards fast
   * retransmit, but only those sent no later than the acked one (ikcp's
   * IKCP_FASTACK_CONSERVE), so a retransmission is not blamed twice.
   */
  countSkips(sn: number, ts: number): void {
    if (timeDiff(sn, this.una) < 0 || timeDiff(sn, this.nxt) >= 0) return;
    for (const seg of this.inFlight) {
      if (timeDiff(sn, seg.sn) < 0) break;
      if (sn !== seg.sn && timeDiff(ts, seg.ts) >= 0) seg.fastack++;
    }
  }
}
