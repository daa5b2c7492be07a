import { encode, encodeBatch, Op, type Packet, StreamDecoder } from '@imgate/protocol';
import type { Transport, TransportFactory, TransportHandlers } from '../transport/transport.js';

const utf8 = new TextEncoder();

/** One fake link: records what the client wrote and lets a test play the comet. */
export class FakeLink implements Transport {
  readonly sent: Packet[] = [];
  closed = false;
  private readonly decoder = new StreamDecoder();

  constructor(
    readonly address: string,
    private readonly handlers: TransportHandlers,
  ) {}

  send(bytes: Uint8Array): void {
    this.sent.push(...this.decoder.push(bytes.slice()));
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.handlers.open();
  }

  /** The peer (or the network) ends the link. */
  drop(reason = 'gone'): void {
    this.handlers.close(reason);
  }

  reply(op: number, seq: number, body: Uint8Array | string | object = new Uint8Array(0), checksum = false): void {
    const bytes = body instanceof Uint8Array ? body : utf8.encode(typeof body === 'string' ? body : JSON.stringify(body));
    this.handlers.data(encode({ op, seq, body: bytes, checksum }));
  }

  batch(packets: Array<{ op: number; body: string }>): void {
    this.handlers.data(encodeBatch(packets.map((p) => ({ op: p.op, body: utf8.encode(p.body) }))));
  }

  /** Packets of this op the client sent, oldest first. */
  sentOps(op: number): Packet[] {
    return this.sent.filter((p) => p.op === op);
  }

  lastSent(op: number): Packet {
    const p = this.sentOps(op).at(-1);
    if (!p) throw new Error(`no op ${op} sent; sent [${this.sent.map((q) => q.op).join(',')}]`);
    return p;
  }

  authBody(): Record<string, unknown> {
    return JSON.parse(new TextDecoder().decode(this.lastSent(Op.Auth).body)) as Record<string, unknown>;
  }

  /** Answers the auth like a comet: op 8 with the given reply fields. */
  acceptAuth(reply: Record<string, unknown> = {}): void {
    const auth = this.authBody();
    this.reply(Op.AuthReply, this.lastSent(Op.Auth).seq, {
      mid: auth.mid ?? 1,
      key: `key-${this.address}`,
      room_id: auth.room_id ?? '',
      heartbeat: 300,
      heartbeat_min: 60,
      heartbeat_step: 30,
      ...reply,
    });
  }
}

/** Hands the client fake links and keeps them for the test. */
export class FakeNetwork {
  readonly links: FakeLink[] = [];

  readonly factory: TransportFactory = (address, handlers) => {
    const link = new FakeLink(address, handlers);
    this.links.push(link);
    return link;
  };

  last(): FakeLink {
    const link = this.links.at(-1);
    if (!link) throw new Error('no link was dialed');
    return link;
  }
}

export function int32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, n >>> 16, n >>> 8, n);
}
