import { createRequire } from 'node:module';
import { ImgateError } from '../errors.js';
import type { WebSocketConstructor } from './ws.transport.js';

/** Resolves from this file, so `ws` is found beside the SDK (the consumer's node_modules). The ESM build defines `__filename` as `import.meta.url`. */
const requireBesideSdk = (id: string): unknown => createRequire(__filename)(id);

/**
 * The `ws` package's client, for Node versions without a global WebSocket (before 22). `ws` is an
 * optional peer dependency: loaded here, at the first WebSocket dial, and nowhere else, so Node
 * 22+ and browsers never need it.
 */
export function wsPackage(load: (id: string) => unknown = requireBesideSdk): WebSocketConstructor {
  try {
    // ws's CommonJS entry exports the WebSocket class itself.
    return load('ws') as WebSocketConstructor;
  } catch (err) {
    const why = (err as { code?: string }).code === 'MODULE_NOT_FOUND' ? 'the ws package is not installed' : `the ws package failed to load (${(err as Error).message})`;
    throw new ImgateError('no_websocket', `this Node (${process.version}) has no global WebSocket and ${why}: npm install ws, pass options.WebSocket, or run Node 22 or later`);
  }
}
