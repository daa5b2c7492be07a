import { Fifo } from './fifo';
import { timeDiff, u32 } from './u32';

/** ikcp's IKCP_WND_RCV: default receive window and the floor for setWndSize, so a message's frg always fits. */
export const WND_RCV = 128;

interface Received {
  sn: number;
  frg: number;
  data: Uint8Array;
}

/**
 * The receiving half of the engine: out-of-order segments wait in `buf`
 * (ascending sn), in-order ones move to `queue` until the application reads
 * them. Both hold at most `wnd` segments, whatever the peer sends.
 */
export class ReceiveWindow {
  /** Next sn expected in order (ikcp's rcv_nxt); the peer's una. */
  nxt = 0;
  /** Capacity in segments (ikcp's rcv_wnd). */
  wnd = WND_RCV;
  private buf: Received[] = [];
  private readonly queue = new Fifo<Received>();

  get buffered(): number {
    return this.buf.length;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Free slots in the queue, advertised as `wnd` in every segment. */
  unused(): number {
    return this.queue.length < this.wnd ? this.wnd - this.queue.length : 0;
  }

  /** Whether an ack is owed: anything below nxt + wnd, even an old duplicate. */
  acceptsAck(sn: number): boolean {
    return timeDiff(sn, u32(this.nxt + this.wnd)) < 0;
  }

  /** Files a PUSH payload (copied from `source`) unless it is old, out of window or a duplicate. */
  insert(sn: number, frg: number, source: Uint8Array): void {
    if (!this.acceptsAck(sn) || timeDiff(sn, this.nxt) < 0) return;
    let i = this.buf.length - 1;
    for (; i >= 0; i--) {
      const seg = this.buf[i];
      if (seg.sn === sn) return;
      if (timeDiff(sn, seg.sn) > 0) break;
    }
    this.buf.splice(i + 1, 0, { sn, frg, data: source.slice() });
    this.promote();
  }

  /** Size of the next whole message, or -1 (ikcp_peeksize). */
  peekSize(): number {
    const first = this.queue.at(0);
    if (first === undefined) return -1;
    if (first.frg === 0) return first.data.length;
    if (this.queue.length < first.frg + 1) return -1;
    let length = 0;
    for (let i = 0; i < this.queue.length; i++) {
      const seg = this.queue.at(i) as Received;
      length += seg.data.length;
      if (seg.frg === 0) break;
    }
    return length;
  }

  /**
   * Removes the next whole message. `reopened` says the queue was full and
   * now has room, so the peer (stalled on a zero window) should be told.
   */
  take(): { message: Uint8Array; reopened: boolean } | null {
    const size = this.peekSize();
    if (size < 0) return null;
    const wasFull = this.queue.length >= this.wnd;

    let message: Uint8Array;
    const first = this.queue.at(0) as Received;
    if (first.frg === 0) {
      this.queue.shift();
      message = first.data; // already a private copy
    } else {
      message = new Uint8Array(size);
      let offset = 0;
      for (let seg = this.queue.shift(); seg !== undefined; seg = this.queue.shift()) {
        message.set(seg.data, offset);
        offset += seg.data.length;
        if (seg.frg === 0) break;
      }
    }

    this.promote();
    return { message, reopened: wasFull && this.queue.length < this.wnd };
  }

  /** Moves the in-order head of `buf` into `queue` while there is room. */
  private promote(): void {
    let count = 0;
    while (count < this.buf.length && this.buf[count].sn === this.nxt && this.queue.length < this.wnd) {
      this.queue.push(this.buf[count]);
      this.nxt = u32(this.nxt + 1);
      count++;
    }
    if (count > 0) this.buf.splice(0, count);
  }
}
