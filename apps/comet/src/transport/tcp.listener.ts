import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { createServer, type Server, type Socket } from 'node:net';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { ConnectionService } from '../connection/connection.service';
import type { Outbound } from '../push/outbound';
import type { Link } from './link';

class TcpLink implements Link {
  readonly transport = 'tcp' as const;
  readonly remoteAddress: string;
  constructor(private readonly socket: Socket) {
    this.remoteAddress = socket.remoteAddress ?? '';
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

/** Raw TCP: a byte stream of packets (goim's TCP transport). */
@Injectable()
export class TcpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 }, (socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const conn = this.connections.accept(new TcpLink(socket), false);
    socket.on('data', (chunk: Buffer) => conn.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      conn.onClose();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.tcpPort, '0.0.0.0', () => resolve());
    });
    this.logger.info({ port: this.config.tcpPort }, 'TCP listening');
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
