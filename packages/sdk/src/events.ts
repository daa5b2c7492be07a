import type { TransportKind } from './node-list.js';

export interface ConnectedEvent {
  mid: number;
  key: string;
  /** The address connected to: a ws:// URL, or tcp://host:port, kcp://host:port. */
  node: string;
  /** The comet's id when the node list came from logic or a reconnect request; else the address given. */
  nodeId: string;
  /** The room the server put the connection in. */
  room: string;
  transport: TransportKind;
  /** The heartbeat interval in force, ms. */
  heartbeatMs: number;
  /** The server resumed the earlier session (same key, rooms and operations). */
  resumed: boolean;
}

/** A packet the server pushed: business operations (≥ 1000) and any operation the SDK does not handle itself. */
export interface ImgateMessage {
  op: number;
  seq: number;
  body: Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; throws if it is not. */
  json<T = unknown>(): T;
  /** Reliable delivery only (op 27): the message id, a decimal u64 string. */
  id?: string;
  /** Reliable delivery only: the stream (`u:<mid>`, `r:<room>`); '' for a best-effort push (by key or to all). */
  stream?: string;
  /** Reliable delivery only: the offset in the stream, a decimal u64 string ('0' for a best-effort push). */
  offset?: string;
}

/**
 * Reliable delivery could not recover a stream's history: `lost` (the position is older than the
 * history), `epoch_changed` (the server lost the stream's history), `denied` (not the client's
 * stream any more). Messages may be missing: reload the stream from the app's own store. The
 * stream continues after `head` under `epoch`.
 */
export interface RecoveryFailedEvent {
  stream: string;
  reason: 'lost' | 'epoch_changed' | 'denied';
  epoch: number;
  /** The offset the stream continues after, a decimal string. */
  head: string;
  /** The position held before. */
  from: { epoch: number; offset: string };
}

/** The online count of the client's room (op 3, cluster-wide). */
export interface OnlineEvent {
  room: string;
  count: number;
}

export interface DisconnectedEvent {
  /** The server's code (op 6/20/21: `heartbeat_timeout`, `draining`, `replaced`, …) or the SDK's (`transport_closed`, `heartbeat_timeout`, `connect_timeout`, `closed`). */
  code: string;
  reason: string;
  node: string;
  willReconnect: boolean;
}

export interface ReconnectingEvent {
  /** Failed attempts so far (0 for a move the server asked for). */
  attempt: number;
  delayMs: number;
  /** The node it expects to try (the list may be refreshed first). */
  node: string | undefined;
  /** Why the last connection or attempt ended. */
  reason: string;
}

export interface KickedEvent {
  code: string;
  reason: string;
}

/** A server error about no request of this client's (op 22 with an unknown seq), or a failed restore after a reconnect. */
export interface ErrorEvent {
  code: string;
  reason: string;
  op?: number;
}

export interface ClientEvents {
  connected: ConnectedEvent;
  message: ImgateMessage;
  online: OnlineEvent;
  disconnected: DisconnectedEvent;
  reconnecting: ReconnectingEvent;
  kicked: KickedEvent;
  error: ErrorEvent;
  recoveryFailed: RecoveryFailedEvent;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';
