/** Where connections live: user → {connection key → comet}, and connection key → comet. */
export interface SessionRepository {
  add(mid: number, key: string, server: string, ttlSec: number): Promise<void>;
  /**
   * `add` for a user (mid > 0) unless it already has `maxKeys` other keys: atomic, so concurrent
   * connects cannot pass the bound together. False (nothing written) when refused.
   */
  addBounded(mid: number, key: string, server: string, ttlSec: number, maxKeys: number): Promise<boolean>;
  /** Extends the session's expiry; false when it had already expired (the caller re-adds it). */
  refresh(mid: number, key: string, server: string, ttlSec: number): Promise<boolean>;
  /** `refresh` for many sessions of one comet in one round trip; one result per session, in order. */
  refreshMany(sessions: ReadonlyArray<{ mid: number; key: string }>, server: string, ttlSec: number): Promise<boolean[]>;
  /** Removes the session only if it still points at `server` (a newer one elsewhere survives). */
  remove(mid: number, key: string, server: string): Promise<boolean>;
  serversByKeys(keys: string[]): Promise<Array<string | null>>;
  /** For each user, its live connection keys and the comet holding each. */
  keysByMids(mids: number[]): Promise<Map<number, Map<string, string>>>;
}
