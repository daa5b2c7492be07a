import { encodedLength, encodeInto } from '@imgate/protocol';

/**
 * One message (or batch) on its way to many connections. Each wire form — TCP stream bytes or a
 * WebSocket frame, with or without checksums — is built at most once, on first use, and the same
 * buffer is then written to every receiver: fan-out costs no per-member allocation or copy.
 *
 * A batch goes out as its packets back to back (in one WebSocket message), as goim writes it.
 */
export class Outbound {
  private readonly cache: Array<Buffer | undefined> = [undefined, undefined, undefined, undefined];

  constructor(
    readonly op: number,
    readonly bodies: readonly Uint8Array[],
    readonly seq = 0,
  ) {}

  get count(): number {
    return this.bodies.length;
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
    for (const body of this.bodies) offset += encodeInto(out, offset, { op: this.op, seq: this.seq, body, checksum });
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
