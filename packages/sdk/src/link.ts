import { decodeBatch, encode, Op, type Packet, ProtocolError, StreamDecoder } from '@imgate/protocol';
import { type Candidate, nodeUrl, type TransportKind } from './node-list.js';
import type { MigratedInfo } from './transport/kcp-migrator.js';
import type { Transport, TransportFactory, TransportStats } from './transport/transport.js';

export interface LinkEvents {
  open(link: Link): void;
  packet(link: Link, p: Packet): void;
  close(link: Link, code: string, reason: string): void;
  migrated?(link: Link, info: MigratedInfo): void;
}

/**
 * One connection attempt to one node: the transport plus the codec. Every transport's bytes go
 * through a stream decoder (a WebSocket message is whole packets, which it frames the same way);
 * op-9 batches are unwrapped, as goim's clients do.
 */
export class Link {
  private readonly transport: Transport;
  private readonly decoder = new StreamDecoder();
  private ended = false;

  constructor(
    readonly candidate: Candidate,
    readonly kind: TransportKind,
    private readonly checksum: boolean,
    factory: TransportFactory,
    private events: LinkEvents,
  ) {
    this.transport = factory(candidate.address, {
      open: () => this.events.open(this),
      data: (bytes) => this.receive(bytes),
      close: (reason) => this.end('transport_closed', reason),
      migrated: (info) => this.events.migrated?.(this, info),
    });
  }

  /** Hands the link's events to a new owner (a probed line becoming the connection). */
  handOver(events: LinkEvents): void {
    this.events = events;
  }

  /** The auth reply arrived: the transport may take what it needs (KCP's migration secret). */
  authenticated(reply: Record<string, unknown>): void {
    this.transport.authenticated?.(reply);
  }

  /** KCP only: moves to a new local socket and proves the session from it. False for other transports. */
  rebind(localAddress?: string): boolean {
    if (this.ended || !this.transport.rebind) return false;
    this.transport.rebind(localAddress);
    return true;
  }

  stats(): TransportStats | undefined {
    return this.transport.stats?.();
  }

  /** `ws://…`, `wss://…` as is; `tcp://host:port`, `tls://host:port`, `kcp://host:port` for the others. */
  get url(): string {
    return nodeUrl(this.kind, this.candidate.address);
  }

  send(op: number, seq: number, body: Uint8Array = new Uint8Array(0)): void {
    if (this.ended) return;
    this.transport.send(encode({ op, seq, body, checksum: this.checksum }));
  }

  /** Ends the link from this side; no events follow. */
  close(): void {
    this.ended = true;
    this.transport.close();
  }

  private receive(bytes: Uint8Array): void {
    if (this.ended) return;
    let packets: Packet[];
    try {
      packets = this.decoder.push(bytes).flatMap((p) => (p.op === Op.Raw ? decodeBatch(p.body) : [p]));
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.transport.close();
      return this.end(err.code, `bad packet from the server: ${err.message}`);
    }
    for (const p of packets) {
      if (this.ended) return;
      this.events.packet(this, p);
    }
  }

  private end(code: string, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.events.close(this, code, reason);
  }
}
