/**
 * ikcp's built-in congestion window, in segments: slow start up to ssthresh,
 * then roughly one segment per window of acks (tracked in bytes by `incr`);
 * a fast retransmit halves to the data in flight, a timeout restarts from 1.
 */

/** ikcp's IKCP_THRESH_INIT and IKCP_THRESH_MIN. */
const THRESH_INIT = 2;
const THRESH_MIN = 2;

export class CongestionWindow {
  /** Starts at 0 like ikcp, so the very first flush sends no data and then opens it to 1. */
  cwnd = 0;
  ssthresh = THRESH_INIT;
  private incr = 0;

  /** snd_una advanced: grow, but never past the peer's advertised window. */
  onAck(remoteWindow: number, mss: number): void {
    if (this.cwnd >= remoteWindow) return;
    if (this.cwnd < this.ssthresh) {
      this.cwnd++;
      this.incr += mss;
    } else {
      if (this.incr < mss) this.incr = mss;
      this.incr += Math.floor((mss * mss) / this.incr) + Math.floor(mss / 16);
      if ((this.cwnd + 1) * mss <= this.incr) this.cwnd = Math.floor((this.incr + mss - 1) / Math.max(mss, 1));
    }
    if (this.cwnd > remoteWindow) {
      this.cwnd = remoteWindow;
      this.incr = remoteWindow * mss;
    }
  }

  /** `inflight` = snd_nxt - snd_una; `resend` = the fast-resend threshold that fired. */
  onFastRetransmit(inflight: number, resend: number, mss: number): void {
    this.ssthresh = Math.max(Math.floor(inflight / 2), THRESH_MIN);
    this.cwnd = (this.ssthresh + resend) >>> 0;
    this.incr = this.cwnd * mss;
  }

  /** ikcp 1.7.1 halves the effective window used by the flush that timed out. */
  onTimeout(effectiveWindow: number, mss: number): void {
    this.ssthresh = Math.max(Math.floor(effectiveWindow / 2), THRESH_MIN);
    this.cwnd = 1;
    this.incr = mss;
  }

  /** Applied after every flush. */
  keepOpen(mss: number): void {
    if (this.cwnd < 1) {
      this.cwnd = 1;
      this.incr = mss;
    }
  }
}
