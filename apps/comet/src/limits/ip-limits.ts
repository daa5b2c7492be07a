import { type RateSetting, TokenBucket } from './token-bucket';

const SWEEP_MS = 10_000;

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) and `10.0.0.1` are one client address. */
export function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * What one client address may do on this comet, whatever the transport: hold at most
 * `maxConns` connections, and start auth at most `auth.rate` times a second (bursts of
 * `auth.burst`). Addresses are forgotten once they hold nothing and their bucket is full again.
 * An IPv4-mapped IPv6 address counts as the IPv4 one.
 */
export class IpLimits {
  private readonly conns = new Map<string, number>();
  private readonly authBuckets = new Map<string, TokenBucket>();
  private lastSweep = 0;

  constructor(
    private readonly maxConns: number,
    private readonly auth: RateSetting,
  ) {}

  /** Counts one more connection from `ip`; false (and nothing counted) when it already holds the most. */
  admit(address: string): boolean {
    if (this.maxConns <= 0) return true;
    const ip = normalizeIp(address);
    const n = this.conns.get(ip) ?? 0;
    if (n >= this.maxConns) return false;
    this.conns.set(ip, n + 1);
    return true;
  }

  /** One admitted connection from `ip` ended. */
  release(address: string): void {
    if (this.maxConns <= 0) return;
    const ip = normalizeIp(address);
    const n = (this.conns.get(ip) ?? 1) - 1;
    if (n <= 0) this.conns.delete(ip);
    else this.conns.set(ip, n);
  }

  connections(address: string): number {
    return this.conns.get(normalizeIp(address)) ?? 0;
  }

  /** One auth attempt from `ip` at `now` (ms): false when its bucket is empty. */
  allowAuth(address: string, now: number): boolean {
    if (this.auth.rate <= 0) return true;
    const ip = normalizeIp(address);
    if (now - this.lastSweep >= SWEEP_MS) this.sweep(now);
    let bucket = this.authBuckets.get(ip);
    if (!bucket) {
      bucket = new TokenBucket(this.auth.rate, this.auth.burst, now);
      this.authBuckets.set(ip, bucket);
    }
    return bucket.take(now);
  }

  /** Addresses tracked for auth (for tests and the metric). */
  get trackedAddresses(): number {
    return this.authBuckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [ip, b] of this.authBuckets) if (b.full(now)) this.authBuckets.delete(ip);
  }
}
