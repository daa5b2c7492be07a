import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { LinkProfile } from './stall-model';

export interface UdpRelayOptions {
  listenHost: string;
  listenPort: number;
  targetHost: string;
  targetPort: number;
  /** Read live: loss, delay and jitter may change while the relay runs. */
  profile: LinkProfile;
  random: () => number;
  /** A client silent this long loses its upstream socket. */
  idleMs?: number;
}

interface Flow {
  upstream: Socket;
  client: RemoteInfo;
  lastSeen: number;
}

export interface UdpRelayStats {
  datagrams: number;
  dropped: number;
}

/**
 * A lossy UDP link on loopback: each datagram, in either direction, is dropped with probability p
 * or delivered after rtt/2 plus jitter (jitter may reorder, as a real path can). Each client
 * address gets its own upstream socket, so the server sees one peer per client.
 */
export class UdpRelay {
  private socket?: Socket;
  private readonly flows = new Map<string, Flow>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweeper?: NodeJS.Timeout;
  readonly stats: UdpRelayStats = { datagrams: 0, dropped: 0 };

  constructor(private readonly opts: UdpRelayOptions) {}

  async start(): Promise<number> {
    const socket = createSocket('udp4');
    socket.on('message', (msg, from) => this.fromClient(msg, from));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.opts.listenPort, this.opts.listenHost, () => resolve());
    });
    this.socket = socket;
    const idleMs = this.opts.idleMs ?? 60_000;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, flow] of this.flows) if (now - flow.lastSeen > idleMs) this.dropFlow(key, flow);
    }, Math.min(idleMs, 10_000));
    return socket.address().port;
  }

  private fromClient(msg: Buffer, from: RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let flow = this.flows.get(key);
    if (!flow) {
      const upstream = createSocket('udp4');
      upstream.on('error', () => undefined);
      upstream.on('message', (reply) => this.impair(reply, (d) => this.socket?.send(d, from.port, from.address)));
      upstream.bind(0, this.opts.listenHost);
      flow = { upstream, client: from, lastSeen: 0 };
      this.flows.set(key, flow);
    }
    flow.lastSeen = Date.now();
    const up = flow.upstream;
    this.impair(msg, (d) => up.send(d, this.opts.targetPort, this.opts.targetHost));
  }

  /** Drops the datagram with probability p, else sends it now or after the link's delay. */
  private impair(datagram: Buffer, send: (d: Buffer) => void): void {
    this.stats.datagrams++;
    const { loss, rttMs, jitterMs } = this.opts.profile;
    if (this.opts.random() < loss) {
      this.stats.dropped++;
      return;
    }
    const delay = rttMs / 2 + (jitterMs > 0 ? this.opts.random() * jitterMs : 0);
    if (delay < 0.5) return send(datagram);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send(datagram);
    }, delay);
    this.timers.add(timer);
  }

  private dropFlow(key: string, flow: Flow): void {
    this.flows.delete(key);
    flow.upstream.close();
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const [key, flow] of this.flows) this.dropFlow(key, flow);
    this.socket?.close();
    this.socket = undefined;
  }
}
