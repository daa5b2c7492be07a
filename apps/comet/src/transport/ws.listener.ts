import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import type { Connection } from '../connection/connection';
import { ConnectionService } from '../connection/connection.service';
import { CometMetrics } from '../comet.metrics';
import type { Outbound } from '../push/outbound';
import type { Link } from './link';

const ignore = (): void => undefined;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/**
 * The WebSocket class the server creates for each client, which is also the connection's link:
 * one object, no wrapper, and no listener closures. Its events go straight to the connection
 * (`emit` is where `ws` delivers them), so a connection adds three fields to the socket instead
 * of a link object, three closures and their context.
 *
 * Output goes straight to the upgraded socket as frames built once per message (server frames
 * are unmasked, so one frame serves every receiver). Safe beside ws's own writes (close frames):
 * without compression ws writes synchronously, so order is kept.
 */
function cometSocketClass(metrics: CometMetrics, logger: Logger) {
  return class CometSocket extends WebSocket implements Link {
    conn: Connection | undefined = undefined;
    raw: Duplex | undefined = undefined;
    remoteAddress = '';

    get transport(): 'ws' {
      return 'ws';
    }

    /** Before the connection exists: it reads the address (per-address limits) and may write at once (a refusal). */
    attach(raw: Duplex, remoteAddress: string): void {
      this.raw = raw;
      this.remoteAddress = remoteAddress;
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      const conn = this.conn;
      if (conn === undefined) return super.emit(event, ...args);
      switch (event) {
        case 'message':
          if (args[1] !== true) {
            metrics.protocolErrors.inc({ reason: 'text_frame' });
            this.close(1003, 'binary messages only');
          } else conn.onData(toBytes(args[0] as RawData));
          return true;
        case 'close':
          conn.onClose();
          return super.emit(event, ...args);
        case 'error':
          // Oversized frames and protocol violations surface here; ws then closes with 1009/1002.
          metrics.protocolErrors.inc({ reason: 'websocket' });
          logger.debug({ err: (args[0] as Error).message }, 'websocket error');
          return true;
        default:
          return super.emit(event, ...args);
      }
    }

    write(out: Outbound, checksum: boolean): void {
      if (this.readyState === WebSocket.OPEN) this.raw!.write(out.wsFrame(checksum));
    }

    get pendingBytes(): number {
      return this.raw?.writableLength ?? 0;
    }

    end(): void {
      this.close(1000);
      // The closing handshake may never be answered by a stuck peer.
      setTimeout(() => this.terminate(), 5_000).unref();
    }

    destroy(): void {
      this.terminate();
    }
  };
}

type CometSocket = InstanceType<ReturnType<typeof cometSocketClass>>;

/** WebSocket on /sub: binary messages each holding whole packets. */
@Injectable()
export class WsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.http = createServer((_req, res) => res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required on /sub\n'));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxClientPacket,
      perMessageDeflate: false,
      clientTracking: false,
      WebSocket: cometSocketClass(metrics, logger),
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/sub') {
        socket.on('error', ignore);
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.upgrade(req, socket, head);
    });
  }

  /** Kept apart from the request handler so no closure that lives with the socket holds the request. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remote = req.socket.remoteAddress ?? '';
    // ws listens for socket errors from here on (and after the upgrade, through the WebSocket).
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws as CometSocket, socket, remote));
  }

  private accept(ws: CometSocket, socket: Duplex, remoteAddress: string): void {
    ws.attach(socket, remoteAddress);
    ws.conn = this.connections.accept(ws, true);
  }

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.wsPort, '0.0.0.0', () => resolve());
    });
    this.logger.info({ port: this.config.wsPort, path: '/sub' }, 'WebSocket listening');
  }

  /** Stops accepting new connections; open ones carry on (drain). */
  stopAccepting(): void {
    if (this.http.listening) this.http.close();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopAccepting();
    // ws's client tracking would keep a second set of every connection: the comet's own index serves.
    for (const conn of this.connections.all('ws')) conn.destroy('shutdown');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
