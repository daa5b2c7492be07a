import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { parseHostPort } from '../node-list.js';
import { streamTransport } from './tcp.transport.js';
import type { TransportFactory } from './transport.js';

/** What a client trusts beyond the system's CAs: a private or self-signed CA (PEM). */
export interface TlsTrustOptions {
  // Uint8Array rather than Buffer: the SDK's typings must compile without @types/node (a Buffer is one).
  ca?: string | Uint8Array | Array<string | Uint8Array>;
}

/** `ca` as node:tls takes it. */
export function nodeCa(ca: TlsTrustOptions['ca']): string | Buffer | Array<string | Buffer> | undefined {
  const one = (c: string | Uint8Array): string | Buffer => (typeof c === 'string' ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  if (ca === undefined) return undefined;
  return Array.isArray(ca) ? ca.map(one) : one(ca);
}

/**
 * TCP inside TLS (`tls://host:3104`): the same byte stream of packets as raw TCP once the
 * comet's certificate checked out against the system's CAs, or `ca`. Node only.
 */
export function tlsTransport(trust: TlsTrustOptions = {}): TransportFactory {
  return (address, handlers) => {
    const { host, port } = parseHostPort(address);
    // SNI carries names only; an IP address is checked against the certificate's IP SANs.
    const socket = connect({ host, port, ca: nodeCa(trust.ca), servername: isIP(host) ? undefined : host });
    socket.setNoDelay(true);
    return streamTransport(socket, 'secureConnect', 'tls', handlers);
  };
}
