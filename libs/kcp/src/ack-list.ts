/**
 * Acks owed to the peer: one (sn, ts) pair per PUSH received since the last
 * flush, sent back in arrival order like ikcp's acklist.
 */
export class AckList {
  private pairs: number[] = [];

  get length(): number {
    return this.pairs.length / 2;
  }

  /**
   * Records an ack unless `limit` are already pending. ikcp grows without
   * bound between flushes; the cap stops a flood of in-window PUSH segments
   * from growing memory, and a dropped ack only costs one retransmission.
   */
  push(sn: number, ts: number, limit: number): void {
    if (this.length < limit) this.pairs.push(sn, ts);
  }

  /** Hands every pending ack to `visit`, oldest first, and empties the list. */
  drain(visit: (sn: number, ts: number) => void): void {
    const pairs = this.pairs;
    this.pairs = [];
    for (let i = 0; i < pairs.length; i += 2) visit(pairs[i], pairs[i + 1]);
  }
}
