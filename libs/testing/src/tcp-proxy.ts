import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
}

/**
 * A loopback TCP proxy for chaos tests: forwards every connection to a target and can reset a
 * share of the live pairs at once (an RST on both sides, as a middlebox or a flaky network does).
 */
export class TcpProxy {
  /** Connections accepted so far, and pairs reset by resetSome. */
  accepted = 0;
  resets = 0;
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free loopback port and forwards to host:port. */
  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const proxy = new TcpProxy(server, typeof addr === 'object' && addr ? addr.port : 0);
    server.on('connection', (client) => proxy.pair(client, targetHost, targetPort));
    return proxy;
  }

  /** Live connection pairs. */
  get size(): number {
    return this.pairs.size;
  }

  /** Resets about `fraction` of the live pairs (at least one when there are any and fraction > 0); returns how many. */
  resetSome(fraction: number, random: () => number = Math.random): number {
    const live = [...this.pairs];
    if (live.length === 0 || fraction <= 0) return 0;
    const n = Math.min(live.length, Math.max(1, Math.round(live.length * fraction)));
    // A partial Fisher-Yates shuffle picks n distinct pairs.
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(random() * (live.length - i));
      [live[i], live[j]] = [live[j]!, live[i]!];
      this.reset(live[i]!);
    }
    this.resets += n;
    return n;
  }

  /** Stops listening and resets every pair. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const p of [...this.pairs]) this.reset(p);
    await closed;
  }

  private pair(client: Socket, host: string, port: number): void {
    this.accepted++;
    const upstream = createConnection({ host, port });
    const p: Pair = { client, upstream };
    this.pairs.add(p);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    // Whatever ends one side ends the other: a refused upstream (comet down) closes the client.
    const end = () => this.reset(p);
    for (const s of [client, upstream]) {
      s.once('error', end);
      s.once('close', end);
    }
  }

  private reset(p: Pair): void {
    if (!this.pairs.delete(p)) return;
    resetSocket(p.client);
    resetSocket(p.upstream);
  }
}

/**
 * Ends a socket with an RST where TCP allows one, else closes it. Not an RST while a FIN is under
 * way (end() called, its shutdown not finished — as when pipe() forwards the other side's FIN):
 * libuv refuses to mix the two (uv_tcp_close_reset → EINVAL), and Node 20 then marks the handle
 * closing without ever closing it, so the process hangs at exit in CleanupHandles, spinning.
 * Nor while still connecting: resetAndDestroy needs a connected handle.
 */
export function resetSocket(s: Socket): void {
  if (s.destroyed) return;
  const shutdownInFlight = s.writableEnded && !s.writableFinished;
  if (s.pending || shutdownInFlight) s.destroy();
  else s.resetAndDestroy();
}
