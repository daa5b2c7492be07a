import { AckList } from './ack-list';
import { CongestionWindow } from './congestion';
import { DatagramWriter } from './datagram-writer';
import { ReceiveWindow, WND_RCV } from './receive-window';
import { RTO_MIN_NODELAY, RTO_MIN_NORMAL, RttEstimator } from './rtt';
import { CMD_ACK, CMD_PUSH, CMD_WASK, CMD_WINS, isKcpCommand, OVERHEAD, readHeader, SegmentHeader, viewOf } from './segment';
import { SendWindow } from './send-window';
import { timeDiff, u32 } from './u32';

/*
 * A KCP ARQ engine that behaves like skywind3000/kcp 1.7.1 (ikcp.c) on the
 * wire and in its timing: same segments, same retransmission schedule, same
 * congestion window. It owns no socket and no timer: the caller feeds it
 * datagrams (input) and the time (update), and gets datagrams (output).
 */

const ASK_SEND = 1;
const ASK_TELL = 2;
const WND_SND = 32;
const MTU_DEF = 1400;
const INTERVAL = 100;
const DEADLINK = 20;
const PROBE_INIT = 7000;
const PROBE_LIMIT = 120000;
const FASTACK_LIMIT = 5;
/** Pending acks allowed per receive-window slot between two flushes; see AckList.push. */
const ACKS_PER_SLOT = 16;

export interface KcpOptions {
  /** Byte-stream mode: no message boundaries, small writes coalesce (ikcp's `stream`). */
  stream?: boolean;
}

export interface KcpStats {
  rto: number;
  srtt: number;
  rttvar: number;
  cwnd: number;
  ssthresh: number;
  remoteWindow: number;
  /** Timeout retransmissions so far (ikcp's `xmit`). */
  xmit: number;
  /** Fast retransmissions so far (ikcp does not count these; useful for metrics). */
  fastXmit: number;
  sndQueue: number;
  sndBuf: number;
  rcvQueue: number;
  rcvBuf: number;
  pendingAcks: number;
}

export class Kcp {
  readonly conv: number;
  private readonly output: (datagram: Uint8Array) => void;
  private readonly stream: boolean;

  private mtuSize = MTU_DEF;
  private mssSize = MTU_DEF - OVERHEAD;
  private dead = false;
  private sndUna = 0;
  private sndNxt = 0;
  private sndWnd = WND_SND;
  private rmtWnd = WND_RCV;
  private probe = 0;
  private current = 0;
  private interval = INTERVAL;
  private tsFlush = INTERVAL;
  private xmitCount = 0;
  private fastXmitCount = 0;
  private nodelay = 0;
  private updated = false;
  private tsProbe = 0;
  private probeWait = 0;
  private deadLinkLimit = DEADLINK;
  private fastresend = 0;
  private fastlimit = FASTACK_LIMIT;
  private nocwnd = false;

  private readonly rtt = new RttEstimator();
  private readonly cc = new CongestionWindow();
  private readonly rcv = new ReceiveWindow();
  private readonly acks = new AckList();
  private readonly sndQueue = new Fifo<Outgoing>();
  /** In flight, ascending sn; bounded by the send window. */
  private sndBuf: Outgoing[] = [];
  private buffer: Uint8Array;
  private bufferView: DataView;

  /** `output` gets a fresh copy of each datagram; it should not throw (the flush would stop half-way). */
  constructor(conv: number, output: (datagram: Uint8Array) => void, opts: KcpOptions = {}) {
    this.conv = u32(conv);
    this.output = output;
    this.stream = opts.stream ?? false;
    this.buffer = new Uint8Array((this.mtuSize + OVERHEAD) * 3);
    this.bufferView = viewOf(this.buffer);
  }

  /** -1 once a segment has been sent dead_link times without an ack (ikcp's state 0xffffffff), else 0. */
  get state(): number {
    return this.dead ? -1 : 0;
  }

  get deadLink(): boolean {
    return this.dead;
  }

  get rto(): number {
    return this.rtt.rto;
  }

  get srtt(): number {
    return this.rtt.srtt;
  }

  get cwnd(): number {
    return this.cc.cwnd;
  }

  /** Timeout retransmissions so far (ikcp's `xmit`). */
  get xmit(): number {
    return this.xmitCount;
  }

  /** Largest datagram output() is given, 1400 unless setMtu changed it. */
  get mtu(): number {
    return this.mtuSize;
  }

  /** Largest payload per segment: mtu - 24. */
  get mss(): number {
    return this.mssSize;
  }

  /** Largest message send() accepts: it must fit in fewer than WND_RCV fragments. */
  get maxMessageSize(): number {
    return this.mssSize * (WND_RCV - 1);
  }

  get stats(): KcpStats {
    return {
      rto: this.rtt.rto,
      srtt: this.rtt.srtt,
      rttvar: this.rtt.rttvar,
      cwnd: this.cc.cwnd,
      ssthresh: this.cc.ssthresh,
      remoteWindow: this.rmtWnd,
      xmit: this.xmitCount,
      fastXmit: this.fastXmitCount,
      sndQueue: this.sndQueue.length,
      sndBuf: this.sndBuf.length,
      rcvQueue: this.rcv.queued,
      rcvBuf: this.rcv.buffered,
      pendingAcks: this.acks.length,
    };
  }

  /**
   * Queues a message (stream mode: bytes) for sending; the data is copied.
   * Returns 0, or -2 when it needs WND_RCV or more fragments. Unlike ikcp
   * 1.7.1, stream mode is all-or-nothing rather than a partial write.
   */
  send(data: Uint8Array): number {
    const mss = this.mssSize;
    let offset = 0;
    if (this.stream) {
      const last = this.sndQueue.last();
      const room = last !== undefined && last.data.length < mss ? mss - last.data.length : 0;
      const extend = Math.min(data.length, room);
      const rest = data.length - extend;
      if (rest > 0 && Math.ceil(rest / mss) >= WND_RCV) return -2;
      if (last !== undefined && room > 0) {
        const merged = new Uint8Array(last.data.length + extend);
        merged.set(last.data, 0);
        merged.set(data.subarray(0, extend), last.data.length);
        this.sndQueue.replaceLast(new Outgoing(0, merged));
        if (rest === 0) return 0;
        offset = extend;
      }
    }

    const len = data.length - offset;
    const count = len <= mss ? 1 : Math.ceil(len / mss);
    if (count >= WND_RCV) return -2;
    for (let i = 0; i < count; i++) {
      const size = Math.min(mss, data.length - offset);
      this.sndQueue.push(new Outgoing(this.stream ? 0 : count - i - 1, data.slice(offset, offset + size)));
      offset += size;
    }
    return 0;
  }

  /** Size of the next whole message, or -1 if none is complete (ikcp_peeksize). */
  peekSize(): number {
    return this.rcv.peekSize();
  }

  /** The next whole message (stream mode: the next segment's bytes), or null. */
  recv(): Uint8Array | null {
    const taken = this.rcv.take();
    if (taken === null) return null;
    // Tell a peer stalled on our zero window right away instead of waiting for its probe.
    if (taken.reopened) this.probe |= ASK_TELL;
    return taken.message;
  }

  /**
   * Feeds one datagram. Returns 0, or like ikcp_input: -1 too short or a
   * segment for another conv, -2 a `len` past the end, -3 an unknown command.
   * Segments before the bad one have already been applied, as in ikcp.
   */
  input(datagram: Uint8Array): number {
    const prevUna = this.sndUna;
    let ackSeen = false;
    let maxack = 0;
    let latestTs = 0;

    if (datagram.length < OVERHEAD) return -1;
    const view = viewOf(datagram);
    let offset = 0;
    while (datagram.length - offset >= OVERHEAD) {
      const h = readHeader(view, offset);
      if (h.conv !== this.conv) return -1;
      offset += OVERHEAD;
      if (h.len > datagram.length - offset) return -2;
      if (!isKcpCommand(h.cmd)) return -3;

      this.rmtWnd = h.wnd;
      this.parseUna(h.una);
      this.shrinkBuf();

      if (h.cmd === CMD_ACK) {
        const rtt = timeDiff(this.current, h.ts);
        if (rtt >= 0) this.rtt.sample(rtt, this.interval);
        this.parseAck(h.sn);
        this.shrinkBuf();
        if (!ackSeen) {
          ackSeen = true;
          maxack = h.sn;
          latestTs = h.ts;
        } else if (timeDiff(h.sn, maxack) > 0 && timeDiff(h.ts, latestTs) > 0) {
          // ikcp's IKCP_FASTACK_CONSERVE: a higher sn counts only if it was also sent later.
          maxack = h.sn;
          latestTs = h.ts;
        }
      } else if (h.cmd === CMD_PUSH) {
        if (this.rcv.acceptsAck(h.sn)) {
          this.acks.push(h.sn, h.ts, this.rcv.wnd * ACKS_PER_SLOT);
          this.rcv.insert(h.sn, h.frg, datagram.subarray(offset, offset + h.len));
        }
      } else if (h.cmd === CMD_WASK) {
        this.probe |= ASK_TELL;
      }
      // CMD_WINS carries nothing beyond the wnd already taken above.
      offset += h.len;
    }

    if (ackSeen) this.parseFastack(maxack, latestTs);
    if (timeDiff(this.sndUna, prevUna) > 0) this.cc.onAck(this.rmtWnd, this.mssSize);
    return 0;
  }

  /** Sets the clock (ms, uint32) and flushes when the interval is due; call it every interval or at check(). */
  update(current: number): void {
    this.current = u32(current);
    if (!this.updated) {
      this.updated = true;
      this.tsFlush = this.current;
    }
    let slap = timeDiff(this.current, this.tsFlush);
    // A clock jump of 10 s either way resynchronises the schedule instead of bursting.
    if (slap >= 10000 || slap < -10000) {
      this.tsFlush = this.current;
      slap = 0;
    }
    if (slap >= 0) {
      this.tsFlush = u32(this.tsFlush + this.interval);
      if (timeDiff(this.current, this.tsFlush) >= 0) this.tsFlush = u32(this.current + this.interval);
      this.flush();
    }
  }

  /** When update() is next needed if nothing is sent or received meanwhile (ikcp_check). */
  check(current: number): number {
    const now = u32(current);
    if (!this.updated) return now;
    let tsFlush = this.tsFlush;
    if (timeDiff(now, tsFlush) >= 10000 || timeDiff(now, tsFlush) < -10000) tsFlush = now;
    if (timeDiff(now, tsFlush) >= 0) return now;

    let minimal = Math.min(timeDiff(tsFlush, now), this.interval);
    for (const seg of this.sndBuf) {
      const diff = timeDiff(seg.resendts, now);
      if (diff <= 0) return now;
      if (diff < minimal) minimal = diff;
    }
    return u32(now + minimal);
  }

  /** Sends pending acks, probes and data as of the last update(); a no-op before the first update(). */
  flush(): void {
    if (!this.updated) return;
    const current = this.current;
    const wnd = this.rcv.unused();
    const una = this.rcv.nxt;
    let ptr = 0;
    const put = (h: SegmentHeader, data: Uint8Array | null): void => {
      const need = OVERHEAD + h.len;
      if (ptr + need > this.mtuSize) {
        this.emit(ptr);
        ptr = 0;
      }
      this.ensureBuffer(ptr + need);
      writeHeader(this.bufferView, ptr, h);
      if (data !== null) this.buffer.set(data, ptr + OVERHEAD);
      ptr += need;
    };

    // ikcp reuses one scratch header, so WASK/WINS carry the sn/ts of the last ack flushed before them.
    const ctl: SegmentHeader = { conv: this.conv, cmd: CMD_ACK, frg: 0, wnd, ts: 0, sn: 0, una, len: 0 };
    this.acks.drain((sn, ts) => {
      ctl.sn = sn;
      ctl.ts = ts;
      put(ctl, null);
    });
    this.scheduleProbe(current);
    if (this.probe & ASK_SEND) put({ ...ctl, cmd: CMD_WASK }, null);
    if (this.probe & ASK_TELL) put({ ...ctl, cmd: CMD_WINS }, null);
    this.probe = 0;

    let cwnd = Math.min(this.sndWnd, this.rmtWnd);
    if (!this.nocwnd) cwnd = Math.min(this.cc.cwnd, cwnd);
    while (timeDiff(this.sndNxt, u32(this.sndUna + cwnd)) < 0) {
      const seg = this.sndQueue.shift();
      if (seg === undefined) break;
      seg.sn = this.sndNxt;
      this.sndNxt = u32(this.sndNxt + 1);
      this.sndBuf.push(seg);
    }

    const resend = this.fastresend > 0 ? this.fastresend : 0xffffffff;
    const rtomin = this.nodelay === 0 ? this.rtt.rto >> 3 : 0;
    let fast = 0;
    let lost = false;
    for (const seg of this.sndBuf) {
      let needsend = true;
      if (seg.xmit === 0) {
        seg.rto = this.rtt.rto;
        seg.resendts = u32(current + seg.rto + rtomin);
      } else if (timeDiff(current, seg.resendts) >= 0) {
        this.xmitCount++;
        seg.rto = u32(seg.rto + this.backoff(seg.rto));
        seg.resendts = u32(current + seg.rto);
        lost = true;
      } else if (seg.fastack >= resend && (seg.xmit <= this.fastlimit || this.fastlimit <= 0)) {
        seg.fastack = 0;
        seg.resendts = u32(current + seg.rto);
        this.fastXmitCount++;
        fast++;
      } else {
        needsend = false;
      }
      if (!needsend) continue;
      seg.xmit++;
      seg.ts = current;
      put({ conv: this.conv, cmd: CMD_PUSH, frg: seg.frg, wnd, ts: current, sn: seg.sn, una, len: seg.data.length }, seg.data);
      if (seg.xmit >= this.deadLinkLimit) this.dead = true;
    }
    this.emit(ptr);

    if (fast > 0) this.cc.onFastRetransmit(u32(this.sndNxt - this.sndUna), resend, this.mssSize);
    if (lost) this.cc.onTimeout(cwnd, this.mssSize);
    this.cc.keepOpen(this.mssSize);
  }

  /** Returns 0, or -1 for an mtu below 50 (ikcp_setmtu). */
  setMtu(mtu: number): number {
    if (!Number.isInteger(mtu) || mtu < 50) return -1;
    this.mtuSize = mtu;
    this.mssSize = mtu - OVERHEAD;
    // Room for a few segments queued under a larger mtu, as ikcp allocates.
    this.buffer = new Uint8Array((mtu + OVERHEAD) * 3);
    this.bufferView = viewOf(this.buffer);
    return 0;
  }

  /** Window sizes in segments; values <= 0 keep the current one; rcv never drops below WND_RCV (ikcp_wndsize). */
  setWndSize(snd: number, rcv: number): void {
    if (snd > 0) this.sndWnd = Math.floor(snd);
    if (rcv > 0) this.rcv.wnd = Math.max(Math.floor(rcv), WND_RCV);
  }

  /** ikcp_nodelay: negative arguments keep the current setting; the "fastest" profile is (1, 10, 2, 1). */
  setNodelay(nodelay: number, interval: number, resend: number, nc: number): void {
    if (nodelay >= 0) {
      this.nodelay = Math.floor(nodelay);
      this.rtt.minRto = this.nodelay !== 0 ? RTO_MIN_NODELAY : RTO_MIN_NORMAL;
    }
    if (interval >= 0) this.setInterval(interval);
    if (resend >= 0) this.fastresend = Math.floor(resend);
    if (nc >= 0) this.nocwnd = nc !== 0;
  }

  /** Flush interval in ms, clamped to [10, 5000] (ikcp_interval). */
  setInterval(interval: number): void {
    this.interval = Math.min(Math.max(Math.floor(interval), 10), 5000);
  }

  /** Transmissions of one segment after which the link counts as dead (ikcp's dead_link, default 20). */
  setDeadLinkThreshold(count: number): void {
    if (count > 0) this.deadLinkLimit = Math.floor(count);
  }

  /** Segments queued or in flight (ikcp_waitsnd): the sender's backlog, for flow control. */
  waitSnd(): number {
    return this.sndBuf.length + this.sndQueue.length;
  }

  /** How much a timed-out segment's rto grows: doubling normally, x1.5 in nodelay mode. */
  private backoff(segmentRto: number): number {
    if (this.nodelay === 0) return Math.max(segmentRto, this.rtt.rto);
    const step = this.nodelay < 2 ? segmentRto : this.rtt.rto;
    return Math.trunc(step / 2);
  }

  private emit(size: number): void {
    // A copy, because the caller's socket may still hold it when the buffer is reused.
    if (size > 0) this.output(this.buffer.slice(0, size));
  }

  /** A segment queued before setMtu shrank the mtu can outgrow the buffer; ikcp would overrun it. */
  private ensureBuffer(size: number): void {
    if (size <= this.buffer.length) return;
    const bigger = new Uint8Array(size * 2);
    bigger.set(this.buffer);
    this.buffer = bigger;
    this.bufferView = viewOf(bigger);
  }

  /** While the peer advertises a zero window, ask for it with a backoff from 7 s up to 120 s. */
  private scheduleProbe(current: number): void {
    if (this.rmtWnd !== 0) {
      this.tsProbe = 0;
      this.probeWait = 0;
    } else if (this.probeWait === 0) {
      this.probeWait = PROBE_INIT;
      this.tsProbe = u32(current + this.probeWait);
    } else if (timeDiff(current, this.tsProbe) >= 0) {
      this.probeWait = Math.max(this.probeWait, PROBE_INIT);
      this.probeWait = Math.min(this.probeWait + Math.floor(this.probeWait / 2), PROBE_LIMIT);
      this.tsProbe = u32(current + this.probeWait);
      this.probe |= ASK_SEND;
    }
  }

  private shrinkBuf(): void {
    this.sndUna = this.sndBuf.length > 0 ? this.sndBuf[0].sn : this.sndNxt;
  }

  private parseAck(sn: number): void {
    if (timeDiff(sn, this.sndUna) < 0 || timeDiff(sn, this.sndNxt) >= 0) return;
    for (let i = 0; i < this.sndBuf.length; i++) {
      const seg = this.sndBuf[i];
      if (seg.sn === sn) {
        this.sndBuf.splice(i, 1);
        return;
      }
      if (timeDiff(sn, seg.sn) < 0) return;
    }
  }

  private parseUna(una: number): void {
    let count = 0;
    while (count < this.sndBuf.length && timeDiff(una, this.sndBuf[count].sn) > 0) count++;
    if (count > 0) this.sndBuf.splice(0, count);
  }

  /** Segments that the newest ack overtook may be lost: count towards fast retransmit. */
  private parseFastack(sn: number, ts: number): void {
    if (timeDiff(sn, this.sndUna) < 0 || timeDiff(sn, this.sndNxt) >= 0) return;
    for (const seg of this.sndBuf) {
      if (timeDiff(sn, seg.sn) < 0) break;
      if (sn !== seg.sn && timeDiff(ts, seg.ts) >= 0) seg.fastack++;
    }
  }
}
