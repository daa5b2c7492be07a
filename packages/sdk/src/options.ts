import type { BackoffOptions } from './backoff.js';
import type { HeartbeatOptions } from './heartbeat.js';
import type { LineOptions } from './lines/line-switch-event.js';
import type { PositionStore } from './streams/position-store.js';
import type { TransportKind } from './node-list.js';
import type { Clock, Timers } from './timers.js';
import type { TransportFactory } from './transport/transport.js';
import type { WebSocketConstructor } from './transport/ws.transport.js';

/** The subset of `fetch` the client uses to read logic's node list. */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Reliable delivery (docs/delivery.md): streams with offsets, recovery after a reconnect, acks, idempotent sends. */
export interface DeliveryOptions {
  /** Where stream positions survive a restart (LocalStoragePositionStore in browsers). Default: memory only, for the client's life. */
  positions?: PositionStore;
  /** The device name sent at auth (1-64 printable characters); the server's default is the token's claim, else the platform. */
  device?: string;
  /** Least time between two acks (op 18), ms. Default 1000. */
  ackIntervalMs?: number;
  /** How long a gap in a stream may stay open before it is pulled from history (op 28), ms. Default 300. */
  gapWaitMs?: number;
  /** Least time between two saves of the positions, ms. Default 1000. */
  saveIntervalMs?: number;
  /**
   * A stream the client holds no position for (first connect, no saved positions) starts with its
   * latest `recent` messages (at most 500) instead of only what comes next: a chat page shows the
   * room's recent history when it loads. Default 0.
   */
  recent?: number;
}

export interface ImgateClientOptions {
  /**
   * Comets to try in order: `ws://host:3102/sub`, `wss://host:3103/sub`, `tcp://host:3101`, `tls://host:3104`,
   * `kcp://host:3103`. Fallbacks when logicUrl is also given.
   */
  nodes?: string[];
  /** Logic's HTTP base (`http://host:3111`): its `/goim/nodes/weighted` list, best first, is read before each attempt. */
  logicUrl?: string;
  /** A JWT, or a function returning a fresh one for each (re)connect. */
  token?: string | (() => string | Promise<string>);
  /** The user id, trusted only by a server in dev auth mode (the embedded default). */
  mid?: number;
  /** A connection key to ask for (dev auth only; with a token the server assigns one). */
  key?: string;
  /** The room to join at auth, goim's `type://id` form. */
  room?: string;
  /** Business operations (≥ 1000) this connection receives. Default [1000]. */
  accepts?: number[];
  /** Sent in the auth body. Default `web` (`node` from the Node entry). */
  platform?: string;
  /** Use the 20-byte header with a CRC-32 on every packet (the server answers in kind). */
  checksum?: boolean;
  /** Default: the scheme of the first of `nodes`, else `ws`. `wss` and `tls` take the comets' client-TLS addresses. */
  transport?: TransportKind;
  /**
   * Opt in to reliable delivery: stream messages arrive once and in order with `id`, `stream`
   * and `offset`, a reconnect recovers what was missed, send() is idempotent. Default off.
   */
  delivery?: boolean | DeliveryOptions;
  /**
   * Line probing and switching (KCP, TCP, WebSocket): at connect, race up to `candidates` comets
   * (≤ 2 s) and take the fastest; while connected, move make-before-break to a clearly better one
   * when the line stays degraded (`lineSwitch` event). Default off.
   */
  lines?: boolean | LineOptions;
  /**
   * Session resume: after a lost link, reconnect with the same key, rooms and operations (on any
   * comet), the server closing the old connection. Default on; the server decides the window.
   */
  resume?: boolean;
  heartbeat?: HeartbeatOptions;
  backoff?: BackoffOptions;
  /**
   * Reconnect (with backoff) after the server kicks this connection (op 21: `kicked`,
   * `login_elsewhere`, `too_many_connections`, `revoked`, …). Default false: a kick ends the
   * client, after the `kicked` event with the server's code and reason.
   */
  reconnectOnKick?: boolean;
  /** Time for a request's reply (send, changeRoom, …), ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Time from dialing to the auth reply, ms. Default 10000. */
  connectTimeoutMs?: number;
  /** How long a node that failed or drained is passed over, ms. Default 30000. */
  nodeSkipMs?: number;
  /** Time for logic's node list, ms. Default 3000. */
  nodesTimeoutMs?: number;
  /** Retry at once when the browser reports the network is back (`online`). Default true. */
  watchNetwork?: boolean;
  /** A WebSocket implementation where the runtime has none (the Node entry falls back to the `ws` package). */
  WebSocket?: WebSocketConstructor;
  /** Transport implementations by kind; the entries supply the defaults. */
  transports?: Partial<Record<TransportKind, TransportFactory>>;
  clock?: Clock;
  timers?: Timers;
  random?: () => number;
  fetch?: FetchLike;
}
