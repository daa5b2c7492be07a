import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

interface Flow {
  client: RemoteInfo;
  upstream: Socket;
}

/** The path's impairment, read live: one-way delay each direction and loss per datagram. */
export interface UdpPath {
  delayMs: number;
  loss: number;
}

/**
 * A loopback UDP "NAT" in front of a KCP listener for migration and line tests. Each client
 * address gets its own upstream socket bound to the client's own IP (so the server sees the
 * client's IP, on a port of the NAT's choosing); `rebind()` moves every flow to a fresh port and
 * forgets the old one, as a NAT does when a mapping expires. `path` adds delay and loss.
 */
export class UdpNat {
  readonly path: UdpPath = { delayMs: 0, loss: 0 };
  /** Datagrams dropped by `path.loss` so far. */
  dropped = 0;
  /** Sees every client → server datagram (a test capturing what an on-path observer could). */
  tap?: (datagram: Buffer) => void;
  private socket?: Socket;
  private readonly flows = new Map<string, Flow>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<UdpNat> {
    const nat = new UdpNat(targetPort, targetHost);
    const socket = createSocket('udp4');
    socket.on('message', (msg, from) => void nat.fromClient(msg, from));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    nat.socket = socket;
    return nat;
  }

  get port(): number {
    return this.socket!.address().port;
  }

  /** The ports the server sees now, one per client flow. */
  get upstreamPorts(): number[] {
    return [...this.flows.values()].map((f) => f.upstream.address().port);
  }

  /** A NAT rebinding: every flow continues from a new port; datagrams to the old ones are lost. */
  async rebind(): Promise<void> {
    const old = [...this.flows.values()];
    for (const f of old) {
      const fresh = await this.upstreamFor(f.client);
      f.upstream.close();
      f.upstream = fresh;
    }
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const f of this.flows.values()) f.upstream.close();
    this.flows.clear();
    this.socket?.close();
  }

  private async fromClient(msg: Buffer, from: RemoteInfo): Promise<void> {
    const key = `${from.address}:${from.port}`;
    let flow = this.flows.get(key);
    if (!flow) {
      flow = { client: from, upstream: await this.upstreamFor(from) };
      if (this.flows.has(key)) flow.upstream.close();
      else this.flows.set(key, flow);
      flow = this.flows.get(key)!;
    }
    const f = flow;
    this.tap?.(msg);
    this.impair(() => f.upstream.send(msg, this.targetPort, this.targetHost, () => undefined));
  }

  private upstreamFor(client: RemoteInfo): Promise<Socket> {
    const up = createSocket('udp4');
    up.on('error', () => undefined);
    up.on('message', (reply) => this.impair(() => this.socket?.send(reply, client.port, client.address, () => undefined)));
    return new Promise((resolve) => up.bind(0, client.address, () => resolve(up)));
  }

  private impair(send: () => void): void {
    if (this.path.loss > 0 && Math.random() < this.path.loss) {
      this.dropped++;
      return;
    }
    const safe = () => {
      try {
        send();
      } catch {
        // the socket closed meanwhile (a rebinding): lost, as on a real path
      }
    };
    if (this.path.delayMs <= 0) return safe();
    const t = setTimeout(() => {
      this.timers.delete(t);
      safe();
    }, this.path.delayMs);
    this.timers.add(t);
  }
}
