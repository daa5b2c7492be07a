import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { parseHostPort } from '../node-list.js';
import { streamTransport } from './tcp.transport.js';
import type { TransportFactory } from './transport.js';

/** What a client trusts beyond the system's CAs: a private or self-signed CA (PEM). */
export interface TlsTrustOptions {
  ca?: string | Buffer | Array<string | Buffer>;
}

/**
 * TCP inside TLS (`tls://host:3104`): the same byte stream of packets as raw TCP once the
 * comet's certificate checked out against the system's CAs, or `ca`. Node only.
 */
export function tlsTransport(trust: TlsTrustOptions = {}): TransportFactory {
  return (address, handlers) => {
    const { host, port } = parseHostPort(address);
    // SNI carries names only; an IP address is checked against the certificate's IP SANs.
    const socket = connect({ host, port, ca: trust.ca, servername: isIP(host) ? undefined : host });
    socket.setNoDelay(true);
    return streamTransport(socket, 'secureConnect', 'tls', handlers);
  };
}
