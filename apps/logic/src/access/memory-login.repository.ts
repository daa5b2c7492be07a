import type { Clock } from '@imgate/common';
import type { Login, LoginRepository } from './login.repository';

/** The embedded default's login records, with the Redis layout's expiry. */
export class MemoryLoginRepository implements LoginRepository {
  private readonly byMid = new Map<number, { logins: Map<string, Login>; expiresAt: number }>();
  private readonly jtis = new Map<string, { mid: number; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async add(mid: number, key: string, login: Login, ttlSec: number, jtiTtlSec: number): Promise<void> {
    const now = this.clock.now();
    const entry = this.live(mid) ?? { logins: new Map<string, Login>(), expiresAt: 0 };
    entry.logins.set(key, login);
    entry.expiresAt = now + ttlSec * 1000;
    this.byMid.set(mid, entry);
    if (login.jti) this.jtis.set(login.jti, { mid, expiresAt: now + jtiTtlSec * 1000 });
  }

  async remove(mid: number, key: string): Promise<void> {
    const entry = this.byMid.get(mid);
    entry?.logins.delete(key);
    if (entry?.logins.size === 0) this.byMid.delete(mid);
  }

  async list(mid: number): Promise<Map<string, Login>> {
    return new Map(this.live(mid)?.logins ?? []);
  }

  async touch(mids: readonly number[], ttlSec: number): Promise<void> {
    for (const mid of mids) {
      const entry = this.live(mid);
      if (entry) entry.expiresAt = this.clock.now() + ttlSec * 1000;
    }
  }

  async midOfJti(jti: string): Promise<number | null> {
    const e = this.jtis.get(jti);
    return e && e.expiresAt > this.clock.now() ? e.mid : null;
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [mid, e] of this.byMid) if (e.expiresAt <= now) this.byMid.delete(mid);
    for (const [jti, e] of this.jtis) if (e.expiresAt <= now) this.jtis.delete(jti);
  }

  private live(mid: number) {
    const e = this.byMid.get(mid);
    if (e && e.expiresAt <= this.clock.now()) {
      this.byMid.delete(mid);
      return undefined;
    }
    return e;
  }
}
