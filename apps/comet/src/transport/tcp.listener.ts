import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { createServer, type Server, type Socket } from 'node:net';
import type { CometConfig } from '../comet.config';
import { CometMetrics } from '../comet.metrics';
import { COMET_CONFIG } from '../comet.tokens';
import { ConnectionService } from '../connection/connection.service';
import type { Outbound } from '../push/outbound';
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

/** Raw TCP: a byte stream of packets (goim's TCP transport), optionally behind PROXY-protocol proxies. */
@Injectable()
export class TcpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly gate: ProxyGate;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.gate = new ProxyGate({ ...config.proxy, timeoutMs: config.handshakeTimeoutMs, counter: metrics.proxyHeaders });
    this.server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 }, (socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    const peer = ProxyGate.peerOf(socket);
    if (this.gate.trusts(peer)) this.gate.readHeader(socket, peer, (client, head) => this.open(socket, client, head, false));
    else this.open(socket, peer, undefined, true);
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
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.tcpPort, this.config.listenHost, () => resolve());
    });
    this.logger.info({ host: this.config.listenHost, port: this.config.tcpPort, trustedProxies: this.config.proxy.trusted.length || undefined }, 'TCP listening');
  }

  /** Stops accepting new connections; open ones carry on (drain). */
  stopAccepting(): void {
    if (this.server.listening) this.server.close();
  }

  onApplicationShutdown(): void {
    this.stopAccepting();
    for (const s of this.sockets) s.destroy();
  }
}
