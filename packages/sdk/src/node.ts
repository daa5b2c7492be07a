/*
 * @imgate/sdk, Node entry: everything in the browser entry, plus TCP and KCP transports and a
 * WebSocket for Node versions that have no global one.
 */
import { ImgateClient as BaseClient } from './client.js';
import type { ImgateClientOptions } from './options.js';
import { kcpTransport, type KcpTransportOptions } from './transport/kcp.transport.js';
import { NodeWebSocket } from './transport/node-websocket.js';
import { tcpTransport } from './transport/tcp.transport.js';
import { globalWebSocket, webSocketTransport } from './transport/ws.transport.js';

export * from './index.js';
export { kcpTransport, type KcpTransportOptions } from './transport/kcp.transport.js';
export { NodeWebSocket } from './transport/node-websocket.js';
export { tcpTransport } from './transport/tcp.transport.js';

export interface NodeClientOptions extends ImgateClientOptions {
  /** Tuning of the KCP transport (conv, nodelay profile, windows, mtu). */
  kcp?: KcpTransportOptions;
}

/** The client with every transport: `ws` (the runtime's WebSocket, else the SDK's own), `tcp`, `kcp`. */
export class ImgateClient extends BaseClient {
  constructor(options: NodeClientOptions = {}) {
    super({
      platform: 'node',
      ...options,
      transports: {
        ws: webSocketTransport(options.WebSocket ?? globalWebSocket() ?? NodeWebSocket),
        tcp: tcpTransport,
        kcp: kcpTransport(options.kcp),
        ...options.transports,
      },
    });
  }
}
