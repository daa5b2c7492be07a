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
  private readonly stream: boolean;
  private mtuSize = MTU_DEF;
  private mssSize = MTU_DEF - OVERHEAD;
  /**
   * Refuse segments longer than mtu - 24 (ikcp accepts any length that fits the datagram). A
   * server turns this on: a peer has no reason to send more per segment than the agreed mtu.
   */
  strictMss = false;
  private dead = false;
  private sndWnd = WND_SND;
  private rmtWnd = WND_RCV;
  private probe = 0;
  private tsProbe = 0;
  private probeWait = 0;
  private current = 0;
  private interval = INTERVAL;
  private tsFlush = INTERVAL;
  private updated = false;
  private nodelay = 0;
  private fastresend = 0;
  private fastlimit = FASTACK_LIMIT;
  private nocwnd = false;
  private deadLinkLimit = DEADLINK;
  private xmitCount = 0;
  private fastXmitCount = 0;

  private readonly snd = new SendWindow();
  private readonly rcv = new ReceiveWindow();
  private readonly acks = new AckList();
  private readonly rtt = new RttEstimator();
  private readonly cc = new CongestionWindow();
  private readonly writer: DatagramWriter;

  /** `output` gets a fresh copy of each datagram; it should not throw (the flush would stop half-way). */
  constructor(conv: number, output: (datagram: Uint8Array) => void, opts: KcpOptions = {}) {
    this.conv = u32(conv);
    this.stream = opts.stream ?? false;
    this.writer = new DatagramWriter(output, this.mtuSize);
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

  /** Largest datagram handed to output, 1400 unless setMtu changed it. */
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
      sndQueue: this.snd.queued,
      sndBuf: this.snd.flight.length,
      rcvQueue: this.rcv.queued,
      rcvBuf: this.rcv.buffered,
      pendingAcks: this.acks.length,
    };
  }

  /**
   * Queues a message (stream mode: bytes) for sending; the data is copied.
   * Returns 0 (ikcp 1.7.1 returns the byte count), or -2 when it needs
   * WND_RCV or more fragments; stream mode is all-or-nothing.
   */
  send(data: Uint8Array): number {
    return this.snd.enqueue(data, this.mssSize, this.stream);
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
   * segment for another conv, -2 a `len` past the end, -3 an unknown command,
   * -4 (only with `strictMss`) a segment longer than this side's mss.
   * Segments before the bad one have already been applied, as in ikcp.
   */
  input(datagram: Uint8Array): number {
    const prevUna = this.snd.una;
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
      if (this.strictMss && h.len > this.mssSize) return -4;

      this.rmtWnd = h.wnd;
      this.snd.ackBelow(h.una);
      this.snd.shrink();

      if (h.cmd === CMD_ACK) {
        const rtt = timeDiff(this.current, h.ts);
        if (rtt >= 0) this.rtt.sample(rtt, this.interval);
        this.snd.ack(h.sn);
        this.snd.shrink();
        if (!ackSeen) {
          ackSeen = true;
          maxack = h.sn;
          latestTs = h.ts;
        } else if (timeDiff(h.sn, maxack) > 0 && timeDiff(h.ts, latestTs) > 0) {
          // IKCP_FASTACK_CONSERVE: a higher sn counts only if it was also sent later.
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

    if (ackSeen) this.snd.countSkips(maxack, latestTs);
    if (timeDiff(this.snd.una, prevUna) > 0) this.cc.onAck(this.rmtWnd, this.mssSize);
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
    for (const seg of this.snd.flight) {
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

    // ikcp reuses one scratch header, so WASK/WINS carry the sn/ts of the last ack flushed before them.
    const ctl: SegmentHeader = { conv: this.conv, cmd: CMD_ACK, frg: 0, wnd, ts: 0, sn: 0, una, len: 0 };
    this.acks.drain((sn, ts) => {
      ctl.sn = sn;
      ctl.ts = ts;
      this.writer.write(ctl, null);
    });
    this.scheduleProbe(current);
    if (this.probe & ASK_SEND) this.writer.write({ ...ctl, cmd: CMD_WASK }, null);
    if (this.probe & ASK_TELL) this.writer.write({ ...ctl, cmd: CMD_WINS }, null);
    this.probe = 0;

    let cwnd = Math.min(this.sndWnd, this.rmtWnd);
    if (!this.nocwnd) cwnd = Math.min(this.cc.cwnd, cwnd);
    this.snd.admit(cwnd);

    const resend = this.fastresend > 0 ? this.fastresend : 0xffffffff;
    const rtomin = this.nodelay === 0 ? this.rtt.rto >> 3 : 0;
    let fast = 0;
    let lost = false;
    for (const seg of this.snd.flight) {
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
        continue;
      }
      seg.xmit++;
      seg.ts = current;
      this.writer.write({ conv: this.conv, cmd: CMD_PUSH, frg: seg.frg, wnd, ts: current, sn: seg.sn, una, len: seg.data.length }, seg.data);
      if (seg.xmit >= this.deadLinkLimit) this.dead = true;
    }
    this.writer.flush();

    if (fast > 0) this.cc.onFastRetransmit(u32(this.snd.nxt - this.snd.una), resend, this.mssSize);
    if (lost) this.cc.onTimeout(cwnd, this.mssSize);
    this.cc.keepOpen(this.mssSize);
  }

  /**
   * The peer's address changed (a migration): every segment in flight is due now at the current
   * rto estimate, and the dead-link count restarts, since what was lost went down the old path.
   */
  pathChanged(): void {
    for (const seg of this.snd.flight) {
      if (seg.xmit === 0) continue;
      seg.xmit = 1;
      seg.rto = this.rtt.rto;
      seg.resendts = this.current;
    }
    this.dead = false;
  }

  /** Returns 0, or -1 for an mtu below 50 (ikcp_setmtu). */
  setMtu(mtu: number): number {
    if (!Number.isInteger(mtu) || mtu < 50) return -1;
    this.mtuSize = mtu;
    this.mssSize = mtu - OVERHEAD;
    this.writer.setMtu(mtu);
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
    return this.snd.flight.length + this.snd.queued;
  }

  /** How much a timed-out segment's rto grows: doubling normally, x1.5 in nodelay mode. */
  private backoff(segmentRto: number): number {
    if (this.nodelay === 0) return Math.max(segmentRto, this.rtt.rto);
    const step = this.nodelay < 2 ? segmentRto : this.rtt.rto;
    return Math.trunc(step / 2);
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
}
