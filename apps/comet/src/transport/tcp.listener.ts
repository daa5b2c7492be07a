import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { createServer, type Server, type Socket } from 'node:net';
import type { CometConfig } from '../comet.config';
import { CometMetrics } from '../comet.metrics';
import { COMET_CONFIG } from '../comet.tokens';
import { ConnectionService } from '../connection/connection.service';
import type { Outbound } from '../push/outbound';
import { ClientTls } from './client-tls';
import { listen } from './listen';
import type { Link } from './link';
import { ProxyGate } from './proxy-gate';
import type { ProxyPeer } from './trusted-proxies';

class TcpLink implements Link {
  readonly transport = 'tcp' as const;
  readonly remoteAddress: string;
  readonly remotePort: number;
  constructor(
    private readonly socket: Socket,
    client: ProxyPeer,
  ) {
    this.remoteAddress = client.address;
    this.remotePort = client.port;
  }
  write(out: Outbound, checksum: boolean): void {
    this.socket.write(out.stream(checksum));
  }
  get pendingBytes(): number {
    return this.socket.writableLength;
  }
  end(): void {
    this.socket.end();
    // A peer that never reads would keep a half-closed socket forever.
    setTimeout(() => this.socket.destroy(), 5_000).unref();
  }
  destroy(): void {
    this.socket.destroy();
  }
}

const SOCKET_OPTIONS = { noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 };

/**
 * Raw TCP: a byte stream of packets (goim's TCP transport), optionally behind PROXY-protocol
 * proxies; with client TLS configured, the same on a second port inside TLS (COMET_TLS_PORT).
 * A PROXY header comes before the TLS handshake there, as proxies that pass TLS through send it.
 */
@Injectable()
export class TcpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;
  /** TLS over TCP, when configured. */
  private readonly secureServer: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly gate: ProxyGate;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    private readonly tls: ClientTls,
    metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.gate = new ProxyGate({ ...config.proxy, timeoutMs: config.handshakeTimeoutMs, counter: metrics.proxyHeaders });
    this.server = createServer(SOCKET_OPTIONS, (socket) => this.accept(socket, false));
    if (tls.enabled) this.secureServer = createServer(SOCKET_OPTIONS, (socket) => this.accept(socket, true));
  }

  private accept(socket: Socket, secure: boolean): void {
    this.track(socket);
    if (secure) {
      return this.gate.screen(socket, (client, head) =>
        this.tls.secure(socket, head, 'tls', this.config.handshakeTimeoutMs, (tls) => this.open(this.track(tls), client, undefined, false)),
      );
    }
    const peer = ProxyGate.peerOf(socket);
    if (this.gate.trusts(peer)) this.gate.readHeader(socket, peer, (client, head) => this.open(socket, client, head, false));
    else this.open(socket, peer, undefined, true);
  }

  private track<S extends Socket>(socket: S): S {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** `sniff`: the peer is not a trusted proxy, so a PROXY header as its first bytes is refused. */
  private open(socket: Socket, client: ProxyPeer, head: Buffer | undefined, sniff: boolean): void {
    const conn = this.connections.accept(new TcpLink(socket, client), false);
    let first = sniff;
    socket.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        if (this.gate.untrustedHeader(chunk)) return conn.destroy('proxy_untrusted');
      }
      conn.onData(chunk);
    });
    socket.on('close', () => conn.onClose());
    if (head) conn.onData(head);
  }

  async onApplicationBootstrap(): Promise<void> {
    const trustedProxies = this.config.proxy.trusted.length || undefined;
    await listen(this.server, this.config.tcpPort, this.config.listenHost);
    this.logger.info({ host: this.config.listenHost, port: this.config.tcpPort, trustedProxies }, 'TCP listening');
    if (!this.secureServer) return;
    await listen(this.secureServer, this.config.tls!.tlsPort, this.config.listenHost);
    this.logger.info({ port: this.config.tls!.tlsPort, trustedProxies }, 'TLS over TCP listening');
  }

  /** Stops accepting new connections; open ones carry on (drain). */
  stopAccepting(): void {
    for (const server of [this.server, this.secureServer]) if (server?.listening) server.close();
  }

  onApplicationShutdown(): void {
    this.stopAccepting();
    for (const s of this.sockets) s.destroy();
  }
}

