import { connect, type Socket } from 'node:net';
import { parseHostPort } from '../node-list.js';
import { onceClosed, type Transport, type TransportHandlers, type TransportFactory } from './transport.js';

/**
 * A byte stream of packets over a Node socket (TCP, or TCP inside TLS): `ready` is the event
 * after which the client may write (`connect`, or `secureConnect` once the certificate checked).
 */
export function streamTransport(socket: Socket, ready: 'connect' | 'secureConnect', label: string, handlers: TransportHandlers): Transport {
  const h = onceClosed(handlers);
  socket.on(ready, () => h.open());
  // Each read is a fresh buffer, so a view of it stays valid for the decoder.
  socket.on('data', (chunk: Buffer) => h.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  socket.on('error', (err) => h.close(`${label}: ${err.message}`));
  socket.on('close', () => h.close(`${label} connection closed`));
  return {
    send(bytes) {
      if (!socket.destroyed) socket.write(bytes);
    },
    close() {
      h.end();
      socket.destroy();
    },
  };
}

/** Raw TCP (`host:3101`): a byte stream of packets, as goim's TCP clients speak. Node only. */
export const tcpTransport: TransportFactory = (address, handlers) => {
  const { host, port } = parseHostPort(address);
  return streamTransport(connect({ host, port, noDelay: true }), 'connect', 'tcp', handlers);
};
