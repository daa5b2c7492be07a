import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { ConnectionService } from '../connection/connection.service';
import { CometMetrics } from '../metrics/comet.metrics';
import type { Outbound } from '../push/outbound';
import type { Link } from './link';

/**
 * Output goes straight to the upgraded socket as frames built once per message (server frames
 * are unmasked, so one frame serves every receiver). Safe beside ws's own writes (close frames):
 * without compression ws writes synchronously, so order is kept.
 */
class WsLink implements Link {
  readonly transport = 'ws' as const;
  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    readonly remoteAddress: string,
  ) {}
  write(out: Outbound, checksum: boolean): void {
    if (this.ws.readyState === WebSocket.OPEN) this.socket.write(out.wsFrame(checksum));
  }
  get pendingBytes(): number {
    return this.socket.writableLength;
  }
  end(): void {
    this.ws.close(1000);
    // The closing handshake may never be answered by a stuck peer.
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }
  destroy(): void {
    this.ws.terminate();
  }
}

const ignore = (): void => undefined;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** WebSocket on /sub: binary messages each holding whole packets. */
@Injectable()
export class WsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    private readonly metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.http = createServer((_req, res) => res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required on /sub\n'));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxClientPacket, perMessageDeflate: false, clientTracking: true });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/sub') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      socket.on('error', ignore);
      this.upgrade(req, socket, head);
    });
  }

  /** Kept apart from the request handler so no closure that lives with the socket holds the request. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remote = req.socket.remoteAddress ?? '';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, remote));
  }

  private accept(ws: WebSocket, socket: Duplex, remoteAddress: string): void {
    const conn = this.connections.accept(new WsLink(ws, socket, remoteAddress), true);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        this.metrics.protocolErrors.inc({ reason: 'text_frame' });
        ws.close(1003, 'binary messages only');
        return;
      }
      conn.onData(toBytes(data));
    });
    // Oversized frames and protocol violations surface here; ws then closes with 1009/1002.
    ws.on('error', (err) => {
      this.metrics.protocolErrors.inc({ reason: 'websocket' });
      this.logger.debug({ err: err.message }, 'websocket error');
    });
    ws.on('close', () => conn.onClose());
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
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
