/** What logic keeps of one connection: who and where (for `/v1/connections`) and what a resume restores. */
export interface ConnectionRecord {
  mid: number;
  key: string;
  /** The comet holding it. */
  server: string;
  transport: string;
  ip: string;
  port: number;
  platform: string;
  connectedAtMs: number;
  /** The main room (empty for none) and the further ones (op 23). */
  roomId: string;
  rooms: string[];
  accepts: number[];
  delivery: boolean;
  device: string;
  /** It was resumed from an earlier connection. */
  resumed: boolean;
}

/** A push by key held for a session that is away within its resume window. */
export interface HeldPush {
  operation: number;
  body: Uint8Array;
  messageId: string;
  acceptedAtMs: number;
}

export interface RoomsUpdate {
  key: string;
  roomId: string;
  rooms: string[];
  accepts: number[];
}

/**
 * The connection records. While its connection lives a record expires with the session; once the
 * comet saw the connection go it is *released*: kept for the resume window, holding pushes by key,
 * until a resume claims it (once: the claim swaps the resume secret's hash) or it expires.
 */
export interface ConnectionRecordRepository {
  /** Writes a live record; `resumeHash` is the SHA-256 (hex) of its resume secret ('' = no resume). */
  put(rec: ConnectionRecord, resumeHash: string, ttlSec: number): Promise<void>;
  /** Rooms and accepts changed on `server`; records another comet holds now are left alone. Returns how many changed. */
  update(server: string, updates: readonly RoomsUpdate[]): Promise<number>;
  /** Extends live records `server` holds (with the session refresh). */
  refresh(keys: readonly string[], server: string, ttlSec: number): Promise<void>;
  /** `server` saw the connection go: the record stays `windowSec` for a resume (0: deleted). */
  release(key: string, server: string, windowSec: number): Promise<void>;
  /**
   * One-time: when the record is `mid`'s and its resume hash is `hash`, replaces the hash with
   * `nextHash` and returns the record with the pushes held for it (which are removed); else null
   * (and nothing changes, so another user's failed attempt does not spend the owner's token).
   */
  claim(key: string, mid: number, hash: string, nextHash: string): Promise<{ record: ConnectionRecord; held: HeldPush[] } | null>;
  /** Live records (released ones read as null), in order. */
  get(keys: readonly string[]): Promise<Array<ConnectionRecord | null>>;
  /** Holds a push for each released key (at most `max` per key, the oldest dropped); returns the keys that took it. */
  hold(keys: readonly string[], push: HeldPush, max: number): Promise<string[]>;
}

export const CONNECTION_RECORDS = Symbol('CONNECTION_RECORDS');
