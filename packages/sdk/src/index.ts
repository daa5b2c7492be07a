/*
 * @imgate/sdk, browser entry: WebSocket only, no Node built-ins. The Node entry (node.ts) adds
 * TCP and KCP, and the `ws` package on Node versions that have no global WebSocket.
 */
export { ImgateClient } from './client.js';
export type { DeliveryOptions, ImgateClientOptions, FetchLike } from './options.js';
export type {
  ClientEvents,
  ClientState,
  ConnectedEvent,
  DisconnectedEvent,
  ErrorEvent,
  ImgateMessage,
  KickedEvent,
  LineSwitchEvent,
  LinesProbedEvent,
  MigratedInfo,
  OnlineEvent,
  ReconnectingEvent,
  RecoveryFailedEvent,
} from './events.js';
export type { SendResult } from './streams/outbox.js';
export { ImgateError } from './errors.js';
export type { LineOptions, LineRtt } from './lines/line-switch-event.js';
export type { MigrationCause } from './transport/kcp-migrator.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { AdaptiveHeartbeat, boundsFromAuthReply, type HeartbeatBounds, type HeartbeatOptions } from './heartbeat.js';
export { NodeList, nodesFromLogicReply, parseNodeUrl, type Candidate, type NodeInfo, type TransportKind } from './node-list.js';
export type { Clock, TimerHandle, Timers } from './timers.js';
export { LocalStoragePositionStore, MemoryPositionStore, type PositionStore, type StorageLike, type StoredPosition, type StoredPositions } from './streams/position-store.js';
export type { Transport, TransportFactory, TransportHandlers } from './transport/transport.js';
export { webSocketTransport, type WebSocketConstructor, type WebSocketLike } from './transport/ws.transport.js';
export { BUSINESS_OP_MIN, decode, encode, Op, type Packet } from '@imgate/protocol';
