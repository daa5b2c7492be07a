import { connect } from 'node:net';
import { parseHostPort } from '../node-list.js';
import { onceClosed, type TransportFactory } from './transport.js';

/** Raw TCP (`host:3101`): a byte stream of packets, as goim's TCP clients speak. Node only. */
export const tcpTransport: TransportFactory = (address, handlers) => {
  const { host, port } = parseHostPort(address);
  const h = onceClosed(handlers);
  const socket = connect({ host, port, noDelay: true });
  socket.on('connect', () => h.open());
  // Each read is a fresh buffer, so a view of it stays valid for the decoder.
  socket.on('data', (chunk: Buffer) => h.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  socket.on('error', (err) => h.close(`tcp: ${err.message}`));
  socket.on('close', () => h.close('tcp connection closed'));
  return {
    send(bytes) {
      if (!socket.destroyed) socket.write(bytes);
    },
    close() {
      h.end();
      socket.destroy();
    },
  };
};
