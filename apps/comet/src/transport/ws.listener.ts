import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import type { Connection } from '../connection/connection';
import { ConnectionService } from '../connection/connection.service';
import { CometMetrics } from '../comet.metrics';
import type { Outbound } from '../push/outbound';
import { ClientTls } from './client-tls';
import type { Link } from './link';
import { listen } from './listen';
import { ProxyGate } from './proxy-gate';
import type { ProxyPeer } from './trusted-proxies';

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
    remotePort = 0;

    get transport(): 'ws' {
      return 'ws';
    }

    /** Before the connection exists: it reads the address (per-address limits) and may write at once (a refusal). */
    attach(raw: Duplex, client: ProxyPeer): void {
      this.raw = raw;
      this.remoteAddress = client.address;
      this.remotePort = client.port;
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

function header(req: IncomingMessage, name: 'forwarded' | 'x-forwarded-for'): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * WebSocket on /sub: binary messages each holding whole packets. With COMET_TRUSTED_PROXIES a
 * plain TCP listener goes first, reads the PROXY header of trusted peers (refusing one from
 * anyone else), and hands the socket to the HTTP server; X-Forwarded-For / Forwarded on the
 * upgrade are believed from trusted peers only. With client TLS configured, secure WebSocket
 * (COMET_WSS_PORT) is the same behind a TLS handshake: PROXY header (if any), TLS, then HTTP.
 */
@Injectable()
export class WsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly gate: ProxyGate;
  /** With trusted proxies: the listening socket in front of the HTTP server. */
  private readonly front: TcpServer | undefined;
  /** Secure WebSocket, when configured: TLS in front of the same HTTP server. */
  private readonly secureFront: TcpServer | undefined;
  /** The client address a PROXY header gave for a socket. */
  private readonly viaProxy = new WeakMap<object, ProxyPeer>();

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    private readonly tls: ClientTls,
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
    this.gate = new ProxyGate({ ...config.proxy, timeoutMs: config.handshakeTimeoutMs, counter: metrics.proxyHeaders });
    if (config.proxy.trusted.length) this.front = createTcpServer((socket) => this.screen(socket));
    if (tls.enabled) this.secureFront = createTcpServer((socket) => this.screenSecure(socket));
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

  /** Front listener: the PROXY header first (trusted peers), then HTTP sees the rest of the bytes. */
  private screen(socket: Socket): void {
    socket.on('error', ignore);
    // The HTTP server reads the socket's handle directly (unshifted bytes would never reach it), but
    // it also parses what the socket emits as 'data': the bytes already read go in that way.
    const toHttp = (head: Buffer | undefined) => {
      this.http.emit('connection', socket);
      if (head) socket.emit('data', head);
    };
    const peer = ProxyGate.peerOf(socket);
    this.gate.screen(socket, (client, head) => {
      if (client !== peer) this.viaProxy.set(socket, client);
      toHttp(head);
    });
  }

  /** Secure front: the PROXY header first (trusted peers), then TLS, then HTTP inside it. */
  private screenSecure(socket: Socket): void {
    socket.on('error', ignore);
    const peer = ProxyGate.peerOf(socket);
    this.gate.screen(socket, (client, head) =>
      this.tls.secure(socket, head, 'wss', this.config.handshakeTimeoutMs, (tls) => {
        if (client !== peer) this.viaProxy.set(tls, client);
        this.http.emit('connection', tls);
      }),
    );
  }

  /** Kept apart from the request handler so no closure that lives with the socket holds the request. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const peer = this.viaProxy.get(req.socket) ?? ProxyGate.peerOf(req.socket);
    const client = this.gate.proxies.forwardedClient(peer, { forwarded: header(req, 'forwarded'), xForwardedFor: header(req, 'x-forwarded-for') });
    // ws listens for socket errors from here on (and after the upgrade, through the WebSocket).
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws as CometSocket, socket, client));
  }

  private accept(ws: CometSocket, socket: Duplex, client: ProxyPeer): void {
    ws.attach(socket, client);
    ws.conn = this.connections.accept(ws, true);
  }

  async onApplicationBootstrap(): Promise<void> {
    await listen(this.front ?? this.http, this.config.wsPort, this.config.listenHost);
    this.logger.info({ host: this.config.listenHost, port: this.config.wsPort, path: '/sub' }, 'WebSocket listening');
    if (!this.secureFront) return;
    await listen(this.secureFront, this.config.tls!.wssPort, this.config.listenHost);
    this.logger.info({ port: this.config.tls!.wssPort, path: '/sub' }, 'secure WebSocket listening');
  }

  /** Stops accepting new connections; open ones carry on (drain). */
  stopAccepting(): void {
    for (const listener of [this.front ?? this.http, this.secureFront]) if (listener?.listening) listener.close();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopAccepting();
    // ws's client tracking would keep a second set of every connection: the comet's own index serves.
    for (const conn of this.connections.all('ws')) conn.destroy('shutdown');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
