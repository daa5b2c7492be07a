import { OVERHEAD, SegmentHeader, viewOf, writeHeader } from './segment';

/**
 * Packs segments into datagrams of at most `mtu` bytes, as ikcp_flush does,
 * and hands each full datagram to `output`.
 */
export class DatagramWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private size = 0;

  constructor(
    private readonly output: (datagram: Uint8Array) => void,
    private mtu: number,
  ) {
    // Room for a few segments queued under a larger mtu, as ikcp allocates.
    this.buffer = new Uint8Array((mtu + OVERHEAD) * 3);
    this.view = viewOf(this.buffer);
  }

  setMtu(mtu: number): void {
    this.flush();
    this.mtu = mtu;
    this.buffer = new Uint8Array((mtu + OVERHEAD) * 3);
    this.view = viewOf(this.buffer);
  }

  /** Appends a segment (`h.len` must equal the payload length), sending what is buffered first if it would not fit. */
  write(h: SegmentHeader, data: Uint8Array | null): void {
    const need = OVERHEAD + h.len;
    if (this.size + need > this.mtu) this.flush();
    this.reserve(this.size + need);
    writeHeader(this.view, this.size, h);
    if (data !== null) this.buffer.set(data, this.size + OVERHEAD);
    this.size += need;
  }

  /** Sends whatever is buffered. */
  flush(): void {
    if (this.size === 0) return;
    // A copy, because the caller's socket may still hold it when the buffer is reused.
    const datagram = this.buffer.slice(0, this.size);
    this.size = 0;
    this.output(datagram);
  }

  /** A segment queued before setMtu shrank the mtu can outgrow the buffer; ikcp would overrun it. */
  private reserve(size: number): void {
    if (size <= this.buffer.length) return;
    const bigger = new Uint8Array(size * 2);
    bigger.set(this.buffer.subarray(0, this.size));
    this.buffer = bigger;
    this.view = viewOf(bigger);
  }
}
