import type { Clock } from '@imgate/common';
import type { Claim, IdempotencyRepository } from './idempotency.repository';

/** The embedded default's idempotency keys, expiring like Redis's. */
export class MemoryIdempotencyRepository implements IdempotencyRepository {
  private readonly keys = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async claim(key: string, value: string, ttlSec: number): Promise<Claim> {
    const now = this.clock.now();
    const held = this.keys.get(key);
    if (held && held.expiresAt > now) return { first: false, value: held.value };
    this.keys.set(key, { value, expiresAt: now + Math.max(1, Math.ceil(ttlSec)) * 1000 });
    return { first: true };
  }

  async release(key: string, value: string): Promise<void> {
    if (this.keys.get(key)?.value === value) this.keys.delete(key);
  }

  async confirm(key: string, from: string, to: string, ttlSec: number): Promise<void> {
    if (this.keys.get(key)?.value === from) this.keys.set(key, { value: to, expiresAt: this.clock.now() + Math.max(1, Math.ceil(ttlSec)) * 1000 });
  }

  /** Drops expired keys; the embedded default calls it periodically. */
  sweep(): void {
    const now = this.clock.now();
    for (const [k, e] of this.keys) if (e.expiresAt <= now) this.keys.delete(k);
  }
}
