import type { Socket } from 'node:net';
import type { Counter } from 'prom-client';
import { looksLikeProxyHeader, parseProxyHeader } from './proxy-header';
import { plainIp, type ProxyPeer, TrustedProxies } from './trusted-proxies';

export interface ProxyGateOptions {
  trusted: readonly string[];
  protocol: 'optional' | 'required';
  /** A trusted peer must have sent its whole header by then. */
  timeoutMs: number;
  /** `imgate_comet_proxy_headers_total{result}`. */
  counter: Counter<'result'>;
}

/**
 * What stands between an accepted TCP socket and the protocol above it (imgate's packets, or HTTP
 * for WebSocket): finds the client's real address. From a trusted proxy (COMET_TRUSTED_PROXIES) a
 * PROXY protocol v1/v2 header is read (split reads, LOCAL, TLVs) and, with `required`, insisted on;
 * from anyone else a PROXY header is refused and the socket closed. Every outcome is counted.
 */
export class ProxyGate {
  readonly proxies: TrustedProxies;

  constructor(private readonly opts: ProxyGateOptions) {
    this.proxies = new TrustedProxies(opts.trusted);
  }

  /** The socket's own peer address (IPv4-mapped IPv6 as plain IPv4). */
  static peerOf(socket: Socket): ProxyPeer {
    return { address: plainIp(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
  }

  trusts(peer: ProxyPeer): boolean {
    return this.proxies.trusts(peer.address);
  }

  /**
   * A trusted peer: reads its PROXY header (`required`), or takes the bytes as the client's own
   * when there is none (`optional`). Calls `ready` with the client's address and the bytes that
   * followed the header (or the first bytes read, which were not one); the caller feeds those to
   * the protocol before the rest. A refused socket is destroyed and `ready` never called.
   */
  readHeader(socket: Socket, peer: ProxyPeer, ready: (client: ProxyPeer, head: Buffer | undefined) => void): void {
    let buf: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => this.refuse(socket, 'timeout'), this.opts.timeoutMs);
    const onClose = () => clearTimeout(timer);
    const onData = (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const r = parseProxyHeader(buf);
      if (r.kind === 'incomplete') return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (r.kind === 'error') return this.refuse(socket, 'malformed');
      if (r.kind === 'none') {
        if (this.opts.protocol === 'required') return this.refuse(socket, 'missing');
        this.opts.counter.inc({ result: 'absent' });
        return ready(peer, buf);
      }
      this.opts.counter.inc({ result: r.source ? 'accepted' : 'local' });
      const rest = buf.subarray(r.length);
      ready(r.source ? { address: plainIp(r.source.address), port: r.source.port } : peer, rest.length ? rest : undefined);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  }

  /** An untrusted peer's first bytes: true (counted; the caller closes) when they start a PROXY header. */
  untrustedHeader(chunk: Uint8Array): boolean {
    if (!looksLikeProxyHeader(chunk)) return false;
    this.opts.counter.inc({ result: 'untrusted' });
    return true;
  }

  /** `untrustedHeader` for a socket whose first bytes are not read by the caller (HTTP): waits for them. */
  sniff(socket: Socket, ready: (head: Buffer) => void): void {
    const timer = setTimeout(() => this.refuse(socket, 'timeout'), this.opts.timeoutMs);
    socket.once('close', () => clearTimeout(timer));
    socket.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      if (this.untrustedHeader(chunk)) socket.destroy();
      else ready(chunk);
    });
  }

  /**
   * A socket whose first bytes the caller does not read itself (HTTP, TLS): a trusted peer's PROXY
   * header is read (`readHeader`), anyone else's refused (`sniff`). `ready` gets the client's
   * address (the socket's own peer unless a header named another) and the bytes read so far.
   */
  screen(socket: Socket, ready: (client: ProxyPeer, head: Buffer | undefined) => void): void {
    const peer = ProxyGate.peerOf(socket);
    if (this.trusts(peer)) this.readHeader(socket, peer, ready);
    else this.sniff(socket, (head) => ready(peer, head));
  }

  private refuse(socket: Socket, result: string): void {
    this.opts.counter.inc({ result });
    socket.destroy();
  }
}
