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
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';
