export type Claim = { first: true } | { first: false; value: string };

/**
 * First-writer-wins keys with an expiry: a push's idempotency key (value: the message id) and an
 * upstream client message id (op 30). The caller namespaces the keys (e.g. `push:`, `up:`).
 */
export interface IdempotencyRepository {
  /** Stores `value` under `key` for `ttlSec` unless the key is held; then answers the held value. */
  claim(key: string, value: string, ttlSec: number): Promise<Claim>;
  /** Gives the key up if it still holds `value` (a push that stored nothing may be retried under it). */
  release(key: string, value: string): Promise<void>;
  /** Replaces `from` with `to` (and a new expiry) if the key still holds `from`. */
  confirm(key: string, from: string, to: string, ttlSec: number): Promise<void>;
}
