import type { Clock } from '@imgate/common';
import type { SessionRepository } from './session.repository';

interface Entry {
  server: string;
  expiresAt: number;
}

/** The embedded default's session store: the Redis layout's semantics, expiry included, in memory. */
export class MemorySessionRepository implements SessionRepository {
  private readonly byKey = new Map<string, Entry & { mid: number }>();
  private readonly byMid = new Map<number, Map<string, Entry>>();
  /** Disconnected keys (and where), so a late renewal cannot bring them back. */
  private readonly gone = new Map<string, Entry>();
  /** Per comet: key → its user and when the session was written (a restarted comet's older ones are purged). */
  private readonly byServer = new Map<string, Map<string, { mid: number; at: number }>>();
  private readonly boots = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  private live<T extends Entry>(e: T | undefined): T | undefined {
    return e && e.expiresAt > this.clock.now() ? e : undefined;
  }

  async add(mid: number, key: string, server: string, ttlSec: number): Promise<void> {
    const expiresAt = this.clock.now() + ttlSec * 1000;
    this.gone.delete(key);
    this.byKey.set(key, { mid, server, expiresAt });
    const own = this.byServer.get(server) ?? new Map<string, { mid: number; at: number }>();
    own.set(key, { mid, at: this.clock.now() });
    this.byServer.set(server, own);
    if (mid > 0) {
      const keys = this.byMid.get(mid) ?? new Map<string, Entry>();
      keys.set(key, { server, expiresAt });
      this.byMid.set(mid, keys);
    }
  }

  async addBounded(mid: number, key: string, server: string, ttlSec: number, maxKeys: number): Promise<boolean> {
    const keys = this.byMid.get(mid);
    if (keys && !this.live(keys.get(key))) {
      let held = 0;
      for (const e of keys.values()) if (this.live(e)) held++;
      if (held >= maxKeys) return false;
    }
    await this.add(mid, key, server, ttlSec);
    return true;
  }

  async refresh(mid: number, key: string, server: string, ttlSec: number): Promise<boolean> {
    const entry = this.live(this.byKey.get(key));
    const own = mid > 0 ? this.live(this.byMid.get(mid)?.get(key)) : entry;
    if (!entry || !own || entry.server !== server) return false;
    entry.expiresAt = own.expiresAt = this.clock.now() + ttlSec * 1000;
    return true;
  }

  async refreshMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const s of sessions) out.push(await this.refresh(s.mid, s.key, server, ttlSec));
    return out;
  }

  async restoreMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<number> {
    let n = 0;
    for (const s of sessions) {
      if (this.live(this.gone.get(s.key))) continue;
      const other = this.live(this.byKey.get(s.key));
      if (other && other.server !== server) continue;
      await this.add(s.mid, s.key, server, ttlSec);
      n++;
    }
    return n;
  }

  async remove(mid: number, key: string, server: string): Promise<boolean> {
    let removed = false;
    this.byServer.get(server)?.delete(key);
    const current = this.live(this.byKey.get(key));
    if (!current || current.server === server) this.gone.set(key, { server, expiresAt: this.clock.now() + 120_000 });
    if (this.byKey.get(key)?.server === server) removed = this.byKey.delete(key);
    const keys = this.byMid.get(mid);
    if (keys?.get(key)?.server === server) {
      removed = keys.delete(key) || removed;
      if (keys.size === 0) this.byMid.delete(mid);
    }
    return removed;
  }

  async serversByKeys(keys: string[]): Promise<Array<string | null>> {
    return keys.map((k) => this.live(this.byKey.get(k))?.server ?? null);
  }

  async keysByMids(mids: number[]): Promise<Map<number, Map<string, string>>> {
    const out = new Map<number, Map<string, string>>();
    for (const mid of mids) {
      const keys = this.byMid.get(mid);
      if (!keys) continue;
      const live = new Map<string, string>();
      for (const [k, e] of keys) {
        if (this.live(e)) live.set(k, e.server);
        else keys.delete(k);
      }
      if (live.size) out.set(mid, live);
      if (keys.size === 0) this.byMid.delete(mid);
    }
    return out;
  }

  async sessionServers(): Promise<string[]> {
    return [...this.byServer.keys()];
  }

  async purgeServer(server: string): Promise<number> {
    const n = this.purgeWhere(server, () => true);
    this.byServer.delete(server);
    this.boots.delete(server);
    return n;
  }

  async purgeBefore(server: string, bootAt: number, boot: string): Promise<number> {
    const n = this.purgeWhere(server, (at) => at < bootAt);
    this.boots.set(server, boot);
    return n;
  }

  async cleanedBoots(): Promise<Map<string, string>> {
    return new Map(this.boots);
  }

  private purgeWhere(server: string, old: (writtenAt: number) => boolean): number {
    let n = 0;
    const own = this.byServer.get(server);
    for (const [key, { mid, at }] of own ?? []) {
      if (!old(at)) continue;
      own?.delete(key);
      if (this.byKey.get(key)?.server === server) {
        this.byKey.delete(key);
        n++;
      }
      const keys = this.byMid.get(mid);
      if (keys?.get(key)?.server === server) keys.delete(key);
      if (keys?.size === 0) this.byMid.delete(mid);
    }
    return n;
  }

  /** Drops expired sessions; the embedded default calls it periodically so memory stays bounded. */
  sweep(): void {
    const now = this.clock.now();
    for (const [k, e] of this.byKey) if (e.expiresAt <= now) this.byKey.delete(k);
    for (const [k, e] of this.gone) if (e.expiresAt <= now) this.gone.delete(k);
    for (const [server, own] of this.byServer) {
      for (const k of own.keys()) if (!this.byKey.has(k)) own.delete(k);
      if (own.size === 0) this.byServer.delete(server);
    }
    for (const [mid, keys] of this.byMid) {
      for (const [k, e] of keys) if (e.expiresAt <= now) keys.delete(k);
      if (keys.size === 0) this.byMid.delete(mid);
    }
  }
}
