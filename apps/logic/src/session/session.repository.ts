/** Where connections live: user → {connection key → comet}, and connection key → comet. */
export interface SessionRepository {
  /** A new connection (auth): written unconditionally; clears a disconnect's tombstone for the key. */
  add(mid: number, key: string, server: string, ttlSec: number): Promise<void>;
  /**
   * `add` for a user (mid > 0) unless it already has `maxKeys` other keys: atomic, so concurrent
   * connects cannot pass the bound together. False (nothing written) when refused.
   */
  addBounded(mid: number, key: string, server: string, ttlSec: number, maxKeys: number): Promise<boolean>;
  /** Extends the session's expiry; false when it had already expired (the caller restores it). */
  refresh(mid: number, key: string, server: string, ttlSec: number): Promise<boolean>;
  /** `refresh` for many sessions of one comet in one round trip; one result per session, in order. */
  refreshMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<boolean[]>;
  /**
   * Writes back sessions a comet still holds but the store lost (expired, or the store came back
   * empty) — compare-and-set: never one that was just disconnected (tombstone), never one that now
   * points at another comet. How many were written.
   */
  restoreMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<number>;
  /** Removes the session only if it still points at `server` (a newer one elsewhere survives); leaves a tombstone. */
  remove(mid: number, key: string, server: string): Promise<boolean>;
  serversByKeys(keys: string[]): Promise<Array<string | null>>;
  /** For each user, its live connection keys and the comet holding each. */
  keysByMids(mids: number[]): Promise<Map<number, Map<string, string>>>;
  /** Comets that have (or recently had) sessions in the store. */
  sessionServers(): Promise<string[]>;
  /** Removes every session of a comet that is gone (idempotent; safe to run from several logic instances). */
  purgeServer(server: string): Promise<number>;
  /**
   * A comet restarted under the same id (incarnation `boot`, started at `bootAt`): removes its
   * sessions written before then — the earlier process's; the new one's, resumed keys included,
   * were written after — compare-and-delete like purgeServer, and notes `boot` as cleaned.
   */
  purgeBefore(server: string, bootAt: number, boot: string): Promise<number>;
  /** Comet id → the incarnation whose predecessors' sessions were purged last. */
  cleanedBoots(): Promise<Map<string, string>>;
}
