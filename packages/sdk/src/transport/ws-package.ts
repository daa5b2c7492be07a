import { createRequire } from 'node:module';
import { ImgateError } from '../errors.js';
import { nodeCa, type TlsTrustOptions } from './tls.transport.js';
import type { WebSocketConstructor, WebSocketLike } from './ws.transport.js';

/** Resolves from this file, so `ws` is found beside the SDK (the consumer's node_modules). The ESM build defines `__filename` as `import.meta.url`. */
const requireBesideSdk = (id: string): unknown => createRequire(__filename)(id);

/**
 * The `ws` package's client, for Node versions without a global WebSocket (before 22), and for
 * wss:// with a private CA (`options.ca`), which only `ws` takes. `ws` is an optional peer
 * dependency: loaded here, at the first WebSocket dial, and nowhere else, so Node 22+ and
 * browsers never need it.
 */
export function wsPackage(load: (id: string) => unknown = requireBesideSdk, options?: WsPackageOptions): WebSocketConstructor {
  let Ws: WsPackageConstructor;
  try {
    // ws's CommonJS entry exports the WebSocket class itself.
    Ws = load('ws') as WsPackageConstructor;
  } catch (err) {
    const why = (err as { code?: string }).code === 'MODULE_NOT_FOUND' ? 'the ws package is not installed' : `the ws package failed to load (${(err as Error).message})`;
    throw new ImgateError('no_websocket', `this Node (${process.version}) has no global WebSocket and ${why}: npm install ws, pass options.WebSocket, or run Node 22 or later`);
  }
  if (!options) return Ws;
  // ws takes TLS options (a private CA) as its second argument; the WHATWG constructor has no such thing.
  const tls = { ca: nodeCa(options.ca) };
  return class extends Ws {
    constructor(url: string) {
      super(url, tls);
    }
  };
}

/** What the SDK passes to the `ws` package's constructor: TLS trust for wss://. */
export interface WsPackageOptions {
  ca?: TlsTrustOptions['ca'];
}

type WsPackageConstructor = new (url: string, options?: { ca?: ReturnType<typeof nodeCa> }) => WebSocketLike;
