import { encodedLength, encodeInto, Op } from '@imgate/protocol';
import type { StreamForm } from './stream-forms';

/** One packet of a mixed sequence (a sync reply: op-27 messages, then op 29). */
export interface OutboundPacket {
  op: number;
  seq: number;
  body: Uint8Array;
}

/**
 * One message (or batch) on its way to many connections. Each wire form — TCP stream bytes or a
 * WebSocket frame, with or without checksums — is built at most once, on first use, and the same
 * buffer is then written to every receiver: fan-out costs no per-member allocation or copy.
 *
 * A batch goes out as its packets back to back (in one WebSocket message), as goim writes it.
 *
 * A pushed message with an id also has a sibling (`delivery`): the same messages as op-27 packets
 * for connections that opted in to reliable delivery (docs/delivery.md). It is built on first use
 * too, so a room without such members never encodes it.
 */
export class Outbound {
  private readonly cache: Array<Buffer | undefined> = [undefined, undefined, undefined, undefined];
  private deliveryForm: Outbound | undefined;
  /** Per packet op and seq when they differ (a mixed sequence); else `op` and `seq` for all. */
  private heads: readonly OutboundPacket[] | undefined;

  constructor(
    /** The operation (for a push, the business operation the accepts filter reads). */
    readonly op: number,
    readonly bodies: readonly Uint8Array[],
    readonly seq = 0,
    /** The op-27 bodies, one per body, for the `delivery` form. */
    private readonly streamForm?: StreamForm,
    /** Messages with stream places: an opted-in connection gets them whatever its accepts (a hole in its offsets could never be filled). */
    readonly sequenced = false,
  ) {}

  /** Several packets of different ops and seqs in one write, so nothing can come between them. */
  static sequence(packets: readonly OutboundPacket[]): Outbound {
    const out = new Outbound(packets[0]?.op ?? 0, packets.map((p) => p.body));
    out.heads = packets;
    return out;
  }

  get count(): number {
    return this.bodies.length;
  }

  /** The op-27 form of this push; undefined when it has no message id (plain packets for everyone). */
  get delivery(): Outbound | undefined {
    if (!this.streamForm) return undefined;
    return (this.deliveryForm ??= new Outbound(Op.Message, this.streamForm.bodies(), 0, undefined, this.streamForm.sequenced));
  }

  /** The form a channel receives: op 27 for one that opted in to reliable delivery, when there is one. */
  formFor(delivery: boolean): Outbound {
    return (delivery && this.delivery) || this;
  }

  /** What writing this to a connection adds to its pending output: the bytes its transport sends. */
  byteLength(transport: 'tcp' | 'ws' | 'kcp', checksum: boolean): number {
    return (transport === 'ws' ? this.wsFrame(checksum) : this.stream(checksum)).length;
  }

  /** Bytes for a stream transport (TCP, KCP). */
  stream(checksum: boolean): Buffer {
    const i = checksum ? 1 : 0;
    return (this.cache[i] ??= this.packets(checksum, 0));
  }

  /** A complete, unmasked binary WebSocket frame carrying the packets. */
  wsFrame(checksum: boolean): Buffer {
    const i = checksum ? 3 : 2;
    return (this.cache[i] ??= this.frame(checksum));
  }

  private size(checksum: boolean): number {
    let n = 0;
    for (const b of this.bodies) n += encodedLength(b.length, checksum);
    return n;
  }

  private packets(checksum: boolean, offset: number, into?: Buffer): Buffer {
    const out = into ?? Buffer.allocUnsafe(this.size(checksum));
    const heads = this.heads;
    for (let i = 0; i < this.bodies.length; i++) {
      const op = heads ? heads[i].op : this.op;
      const seq = heads ? heads[i].seq : this.seq;
      offset += encodeInto(out, offset, { op, seq, body: this.bodies[i], checksum });
    }
    return out;
  }

  private frame(checksum: boolean): Buffer {
    const len = this.size(checksum);
    const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const out = Buffer.allocUnsafe(head + len);
    out[0] = 0x82; // FIN + binary
    if (head === 2) out[1] = len;
    else if (head === 4) {
      out[1] = 126;
      out.writeUInt16BE(len, 2);
    } else {
      out[1] = 127;
      out.writeBigUInt64BE(BigInt(len), 2);
    }
    return this.packets(checksum, head, out);
  }
}
