import { connect, createServer, type Server, type Socket } from 'node:net';
import { type LinkProfile, type StallModelOptions, type StallStats, StallModel, TCP_DEFAULTS } from './stall-model';

export interface TcpRelayOptions {
  listenHost: string;
  listenPort: number;
  targetHost: string;
  targetPort: number;
  /** Read live: loss and delay may change while the relay runs. */
  profile: LinkProfile;
  random: () => number;
  model?: StallModelOptions;
}

/**
 * A lossy TCP link on loopback, for raw TCP and WebSocket alike: both directions of every
 * connection go through a StallModel (segments, loss as retransmission stalls, head-of-line
 * blocking). The two loopback legs themselves never lose anything.
 */
export class TcpRelay {
  private server?: Server;
  private readonly pipes = new Set<() => void>();
  readonly stats: StallStats = { transmissions: 0, lost: 0 };

  constructor(private readonly opts: TcpRelayOptions) {}

  async start(): Promise<number> {
    const server = createServer({ noDelay: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.listenPort, this.opts.listenHost, () => resolve());
    });
    this.server = server;
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  private accept(client: Socket): void {
    const upstream = connect({ host: this.opts.targetHost, port: this.opts.targetPort, noDelay: true });
    const stops: Array<() => void> = [];
    const close = () => {
      this.pipes.delete(close);
      for (const stop of stops) stop();
      client.destroy();
      upstream.destroy();
    };
    this.pipes.add(close);
    stops.push(this.pipe(client, upstream), this.pipe(upstream, client));
    // Either side failing ends both; a clean close ends both once the last stalled bytes went out.
    client.on('error', close);
    upstream.on('error', close);
    let open = 2;
    const closed = () => {
      if (--open === 0) close();
    };
    client.once('close', closed);
    upstream.once('close', closed);
  }

  /** One direction: bytes read from `src` reach `dst` when the model lets them. Returns a stop function. */
  private pipe(src: Socket, dst: Socket): () => void {
    const model = new StallModel(this.opts.profile, this.opts.random, this.opts.model ?? TCP_DEFAULTS);
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const counted = { transmissions: 0, lost: 0 };
    const account = () => {
      this.stats.transmissions += model.stats.transmissions - counted.transmissions;
      this.stats.lost += model.stats.lost - counted.lost;
      counted.transmissions = model.stats.transmissions;
      counted.lost = model.stats.lost;
    };
    const pump = () => {
      timer = undefined;
      const now = performance.now();
      for (const seg of model.take(now)) dst.write(seg);
      const next = model.nextAt();
      if (next !== undefined) timer = setTimeout(pump, Math.max(0, next - now));
      else if (ended) dst.end();
    };
    src.on('data', (chunk: Buffer) => {
      model.push(chunk, performance.now());
      account();
      // A segment that gets through may move a hole's retransmission earlier (SACK): re-plan the wake-up.
      clearTimeout(timer);
      pump();
      // Backpressure from the far side reaches the sender, as a full receive window would.
      if (dst.writableLength > 1 << 20) {
        src.pause();
        dst.once('drain', () => src.resume());
      }
    });
    const finish = () => {
      ended = true;
      if (timer === undefined) pump();
    };
    src.once('end', finish);
    src.once('close', finish);
    return () => clearTimeout(timer);
  }

  stop(): void {
    for (const close of [...this.pipes]) close();
    this.server?.close();
    this.server = undefined;
  }
}
