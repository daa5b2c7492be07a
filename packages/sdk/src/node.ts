/*
 * @imgate/sdk, Node entry: everything in the browser entry, plus TCP (plain and inside TLS) and
 * KCP transports, and WebSocket through the `ws` package on Node versions that have no global one.
 */
import { ImgateClient as BaseClient } from './client.js';
import type { ImgateClientOptions } from './options.js';
import { kcpTransport, type KcpTransportOptions } from './transport/kcp.transport.js';
import { tcpTransport } from './transport/tcp.transport.js';
import { type TlsTrustOptions, tlsTransport } from './transport/tls.transport.js';
import type { TransportFactory } from './transport/transport.js';
import { globalWebSocket, type WebSocketConstructor, webSocketTransport } from './transport/ws.transport.js';
import { wsPackage } from './transport/ws-package.js';

export * from './index.js';
export { kcpTransport, type KcpTransportOptions } from './transport/kcp.transport.js';
export { tcpTransport } from './transport/tcp.transport.js';
export { type TlsTrustOptions, tlsTransport } from './transport/tls.transport.js';

export interface NodeClientOptions extends ImgateClientOptions {
  /** Tuning of the KCP transport (conv, nodelay profile, windows, mtu). */
  kcp?: KcpTransportOptions;
  /**
   * CA certificates (PEM) trusted for `wss://` and `tls://` besides the system's: a private or
   * self-signed CA. With it, wss:// goes through the `ws` package (the global WebSocket takes no CA).
   */
  ca?: TlsTrustOptions['ca'];
}

/** The client with every transport: `ws`/`wss` (the runtime's WebSocket, else the `ws` package), `tcp`, `tls`, `kcp`. */
export class ImgateClient extends BaseClient {
  constructor(options: NodeClientOptions = {}) {
    super({
      platform: 'node',
      ...options,
      transports: {
        ws: nodeWebSocketTransport(options.WebSocket),
        wss: nodeWebSocketTransport(options.WebSocket, options.ca),
        tcp: tcpTransport,
        tls: tlsTransport({ ca: options.ca }),
        kcp: kcpTransport(options.kcp),
        ...options.transports,
      },
    });
  }
}

/**
 * WebSocket in Node: the given implementation, else the runtime's (Node 22+), else `ws`, looked
 * up at the first dial; with a private CA, `ws` carrying it.
 */
function nodeWebSocketTransport(ctor: WebSocketConstructor | undefined, ca?: TlsTrustOptions['ca']): TransportFactory {
  let dial: TransportFactory | undefined;
  return (url, handlers) => {
    dial ??= webSocketTransport(ctor ?? (ca === undefined ? (globalWebSocket() ?? wsPackage()) : wsPackage(undefined, { ca })));
    return dial(url, handlers);
  };
}
