/**
 * Round-trip estimator and retransmission timeout, as ikcp_update_ack:
 * Jacobson/Karels smoothing in integer milliseconds, with the flush interval
 * as the floor of the variance term.
 */

/** ikcp's IKCP_RTO_DEF: the timeout before any RTT sample. */
export const RTO_DEFAULT = 200;
/** ikcp's IKCP_RTO_MIN, the floor in normal mode. */
export const RTO_MIN_NORMAL = 100;
/** ikcp's IKCP_RTO_NDL, the floor in nodelay mode. */
export const RTO_MIN_NODELAY = 30;
export const RTO_MAX = 60000;

export class RttEstimator {
  private srttValue = 0;
  private rttvarValue = 0;
  private rtoValue = RTO_DEFAULT;
  /** Lower bound of the timeout; nodelay lowers it. */
  minRto = RTO_MIN_NORMAL;

  get srtt(): number {
    return this.srttValue;
  }

  get rttvar(): number {
    return this.rttvarValue;
  }

  get rto(): number {
    return this.rtoValue;
  }

  /** Folds in one RTT sample (ms, >= 0); `interval` is the engine's flush interval. */
  sample(rtt: number, interval: number): void {
    if (this.srttValue === 0) {
      this.srttValue = rtt;
      this.rttvarValue = Math.trunc(rtt / 2);
    } else {
      const delta = Math.abs(rtt - this.srttValue);
      this.rttvarValue = Math.trunc((3 * this.rttvarValue + delta) / 4);
      this.srttValue = Math.max(Math.trunc((7 * this.srttValue + rtt) / 8), 1);
    }
    const rto = this.srttValue + Math.max(interval, 4 * this.rttvarValue);
    this.rtoValue = Math.min(Math.max(this.minRto, rto), RTO_MAX);
  }
}
