import { randomInt } from 'node:crypto';
import { streamKind } from './stream-keys';

/** History bounds per stream kind (LOGIC_USER_HISTORY_SIZE and friends). */
export interface StreamSettings {
  userSize: number;
  userTtlSec: number;
  roomSize: number;
  roomTtlSec: number;
}

export const DEFAULT_STREAM_SETTINGS: Readonly<StreamSettings> = { userSize: 1000, userTtlSec: 604_800, roomSize: 300, roomTtlSec: 3600 };

export function streamBounds(settings: StreamSettings, stream: string): { size: number; ttlSec: number } {
  return streamKind(stream) === 'user'
    ? { size: settings.userSize, ttlSec: settings.userTtlSec }
    : { size: settings.roomSize, ttlSec: settings.roomTtlSec };
}

export interface AppendItem {
  stream: string;
  /** The message id (snowflake). */
  id: bigint;
  operation: number;
  body: Uint8Array;
}

export interface Appended {
  stream: string;
  epoch: number;
  offset: bigint;
}

/** `after`: the last offset the client holds in `epoch` (0: none). `last`: the latest N messages. */
export type StreamPosition = { epoch: number; after: bigint } | { last: number };

export interface StreamMessage {
  stream: string;
  epoch: number;
  offset: bigint;
  id: bigint;
  operation: number;
  body: Uint8Array;
}

export type ReadStatus = 'ok' | 'more' | 'lost';

export interface StreamRead {
  status: ReadStatus;
  epoch: number;
  head: bigint;
  /** With `more`: the first offset not in this reply (sync again from `next` − 1). */
  next?: bigint;
  messages: StreamMessage[];
}

export interface StreamHead {
  epoch: number;
  head: bigint;
}

/**
 * Per-stream history (docs/delivery.md, "Streams and offsets"). A stream that does not exist
 * (never written, expired, or lost with Redis) has epoch 0 and head 0: reading it from offset 0 is
 * `ok` and empty, reading it from any later offset is `lost`, so a client whose position was in a
 * history Redis no longer has always learns it.
 */
export interface StreamRepository {
  /**
   * Gives each item the next offset of its stream, in the order given (several items of one
   * stream get consecutive offsets), appends it and applies the stream's bounds; one result per
   * item, in order.
   */
  append(items: ReadonlyArray<AppendItem>): Promise<Appended[]>;
  /** At most `limit` (≥ 1) messages in offset order; see `judgeAfter` / `judgeLast` for the statuses. */
  read(stream: string, position: StreamPosition, limit: number): Promise<StreamRead>;
  /** The current epoch and head of each stream (0/0 for one that does not exist). */
  heads(streams: ReadonlyArray<string>): Promise<Map<string, StreamHead>>;
}

/** A fresh epoch: a random non-zero u32 (a new history must not look like the one it replaces). */
export function newEpoch(): number {
  return randomInt(1, 2 ** 32);
}
