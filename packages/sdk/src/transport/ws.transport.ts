import { ImgateError } from '../errors.js';
import { onceClosed, type TransportFactory } from './transport.js';

/**
 * The part of the WebSocket API the SDK uses. Handler parameters are typed `never` so that any
 * implementation (the browser's, Node 22's, the `ws` package's) fits structurally; the
 * handlers below narrow what they receive.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

/** The host's WebSocket (browsers, Node 22+), if it has one. */
export function globalWebSocket(): WebSocketConstructor | undefined {
  const ctor = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof ctor === 'function' ? (ctor as WebSocketConstructor) : undefined;
}

/** WebSocket transport: one packet (or one op-9 batch) per binary message, as the comet sends. */
export function webSocketTransport(ctor?: WebSocketConstructor): TransportFactory {
  return (url, handlers) => {
    const WebSocketImpl = ctor ?? globalWebSocket();
    if (!WebSocketImpl) throw new ImgateError('no_websocket', 'this runtime has no WebSocket: pass options.WebSocket or use another transport');
    const h = onceClosed(handlers);
    const ws = new WebSocketImpl(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => h.open();
    ws.onmessage = (ev: { data: unknown }) => {
      const { data } = ev;
      if (data instanceof ArrayBuffer) h.data(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) h.data(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else {
        // The server sends binary only; text means this is not a comet.
        h.close('websocket: a text message from the server');
        try {
          ws.close(1003, 'binary messages only');
        } catch {
          // The WHATWG API (browsers, Node 22+) lets a client send only 1000 and 3000-4999; ws allows 1003 (unsupported data).
          ws.close(1000, 'binary messages only');
        }
      }
    };
    ws.onerror = () => h.close('websocket error');
    ws.onclose = (ev: { code?: number; reason?: string }) => h.close(`websocket closed (${ev.code ?? 0}${ev.reason ? `: ${ev.reason}` : ''})`);
    return {
      send(bytes) {
        if (ws.readyState === OPEN) ws.send(bytes);
      },
      close() {
        h.end();
        try {
          ws.close(1000);
        } catch {
          // Closing a socket that never opened may throw in some implementations; it is gone either way.
        }
      },
    };
  };
}
