import { type RateSetting, TokenBucket } from './token-bucket';

/** Per-connection limits (COMET_UPSTREAM_*, COMET_ROOM_OPS_*, COMET_RATE_LIMIT_STRIKES). */
export interface ConnectionRateConfig {
  upstream: RateSetting;
  roomOps: RateSetting;
  /** Refusals (rate-limited or unsupported requests) a connection may earn, refilled at 1/s; 0: never closed for them. */
  strikes: number;
}

export type RatedKind = 'upstream' | 'room_ops';

/**
 * The buckets of one connection, each created on first use, so a connection that never sends
 * upstream or changes rooms holds none. A refused request is answered (op 22) and the connection
 * stays; one that keeps sending past its refusals has used up its strikes and is closed.
 */
export class ConnectionRates {
  private upstream?: TokenBucket;
  private roomOps?: TokenBucket;
  private strikes?: TokenBucket;

  constructor(private readonly config: ConnectionRateConfig) {}

  allow(kind: RatedKind, now: number): boolean {
    const s = kind === 'upstream' ? this.config.upstream : this.config.roomOps;
    if (s.rate <= 0) return true;
    const bucket = kind === 'upstream' ? (this.upstream ??= new TokenBucket(s.rate, s.burst, now)) : (this.roomOps ??= new TokenBucket(s.rate, s.burst, now));
    return bucket.take(now);
  }

  /** Records a refusal; false once the connection has none left (the caller closes it). */
  strike(now: number): boolean {
    const n = this.config.strikes;
    if (n <= 0) return true;
    return (this.strikes ??= new TokenBucket(1, n, now)).take(now);
  }
}
