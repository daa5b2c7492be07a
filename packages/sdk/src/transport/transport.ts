import type { MigratedInfo } from './kcp-migrator.js';

/** Path health a transport can measure itself (KCP's engine), for line monitoring. */
export interface TransportStats {
  /** Smoothed round-trip time, ms. */
  srttMs: number;
  rtoMs: number;
  /** Retransmissions (timeouts and fast) so far. */
  retransmits: number;
  /** Segments sent so far, to turn retransmits into a rate. */
  sent: number;
}

/** What a transport reports; each handler is called on the transport's own events. */
export interface TransportHandlers {
  /** The link is up: the client may write. */
  open(): void;
  /** Bytes from the server: whole packets (WebSocket) or any slice of the stream (TCP, KCP). */
  data(bytes: Uint8Array): void;
  /** The link ended (error, peer close); called at most once, and not after close(). */
  close(reason: string): void;
  /** KCP: the session moved to a new address (or proved itself again) and the comet acknowledged. */
  migrated?(info: MigratedInfo): void;
}

/** One link to one comet. */
export interface Transport {
  send(bytes: Uint8Array): void;
  /** Ends the link; no handler is called afterwards. */
  close(): void;
  /** The auth reply (op 8) arrived on this link: KCP takes its migration secret. */
  authenticated?(reply: Record<string, unknown>): void;
  /** KCP: moves to a fresh local socket (bound to `localAddress` if given) and proves the session from it. */
  rebind?(localAddress?: string): void;
  stats?(): TransportStats;
}

/** Dials `address` (a ws:// URL, or host:port for TCP and KCP). May throw for an address it cannot use. */
export type TransportFactory = (address: string, handlers: TransportHandlers) => Transport;

/** Wraps handlers so that close is reported once and nothing after a local close(). */
export function onceClosed(handlers: TransportHandlers): TransportHandlers & { ended: boolean; end(): void } {
  let ended = false;
  return {
    get ended() {
      return ended;
    },
    end() {
      ended = true;
    },
    open: () => {
      if (!ended) handlers.open();
    },
    data: (bytes) => {
      if (!ended) handlers.data(bytes);
    },
    close: (reason) => {
      if (ended) return;
      ended = true;
      handlers.close(reason);
    },
    migrated: (info) => {
      if (!ended) handlers.migrated?.(info);
    },
  };
}
