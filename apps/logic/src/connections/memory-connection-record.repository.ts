import type { Clock } from '@imgate/common';
import type { ConnectionRecord, ConnectionRecordRepository, HeldPush, RoomsUpdate } from './connection-record';

interface Entry {
  rec: ConnectionRecord;
  resumeHash: string;
  live: boolean;
  expiresAt: number;
  held: HeldPush[];
}

/** The embedded default's connection records: the Redis layout's semantics, expiry included, in memory. */
export class MemoryConnectionRecordRepository implements ConnectionRecordRepository {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  private entry(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async put(rec: ConnectionRecord, resumeHash: string, ttlSec: number): Promise<void> {
    this.entries.set(rec.key, { rec: { ...rec }, resumeHash, live: true, expiresAt: this.clock.now() + ttlSec * 1000, held: [] });
  }

  async update(server: string, updates: readonly RoomsUpdate[]): Promise<number> {
    let n = 0;
    for (const u of updates) {
      const e = this.entry(u.key);
      if (!e?.live || e.rec.server !== server) continue;
      e.rec = { ...e.rec, roomId: u.roomId, rooms: [...u.rooms], accepts: [...u.accepts] };
      n++;
    }
    return n;
  }

  async refresh(keys: readonly string[], server: string, ttlSec: number): Promise<void> {
    for (const key of keys) {
      const e = this.entry(key);
      if (e?.live && e.rec.server === server) e.expiresAt = this.clock.now() + ttlSec * 1000;
    }
  }

  async release(key: string, server: string, windowSec: number): Promise<void> {
    const e = this.entry(key);
    if (!e?.live || e.rec.server !== server) return;
    if (windowSec <= 0) return void this.entries.delete(key);
    e.live = false;
    e.held = [];
    e.expiresAt = this.clock.now() + windowSec * 1000;
  }

  async claim(key: string, mid: number, hash: string, nextHash: string): Promise<{ record: ConnectionRecord; held: HeldPush[] } | null> {
    const e = this.entry(key);
    if (!e || !e.resumeHash || e.resumeHash !== hash || e.rec.mid !== mid) return null;
    e.resumeHash = nextHash;
    const held = e.held;
    e.held = [];
    return { record: { ...e.rec }, held };
  }

  async get(keys: readonly string[]): Promise<Array<ConnectionRecord | null>> {
    return keys.map((k) => {
      const e = this.entry(k);
      return e?.live ? { ...e.rec } : null;
    });
  }

  async hold(keys: readonly string[], push: HeldPush, max: number): Promise<string[]> {
    return keys.filter((k) => {
      const e = this.entry(k);
      if (!e || e.live) return false;
      e.held.push(push);
      if (e.held.length > max) e.held.splice(0, e.held.length - max);
      return true;
    });
  }

  /** Drops expired records; the embedded default calls it periodically so memory stays bounded. */
  sweep(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}
