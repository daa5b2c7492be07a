import { readU16, readU32 } from './big-endian';
import { checkFraming, maxPacketLenOf, packetAt } from './codec';
import { ProtocolError } from './errors';
import { FRAMING_LEN, HEADER_LEN_OFFSET, PACK_LEN_OFFSET, type DecodeOptions, type Packet } from './packet';

/**
 * Frames a byte stream (TCP, KCP) into packets. Chunks are kept in a list and
 * copied at most once, only for a packet that spans chunks, so the work is
 * linear in the bytes pushed however they are split. A packet inside one
 * chunk is decoded in place: its body is a view into that chunk, so a pushed
 * chunk must not be modified afterwards.
 */
/**
 * Scratch space for framing bytes split across chunks. Decoding is synchronous and the bytes are
 * read out before `push` returns, so one buffer serves every decoder in the process instead of six
 * bytes (and a typed array object) kept by each connection.
 */
const framingScratch = new Uint8Array(FRAMING_LEN);
const NO_CHUNKS: Uint8Array[] = [];

export class StreamDecoder {
  private readonly maxPacketLen: number;
  /** Chunks with unread bytes; the shared empty list while nothing is buffered (no array per idle connection). */
  private chunks: Uint8Array[] = NO_CHUNKS;
  /** Index in `chunks` of the first chunk still holding unread bytes. */
  private head = 0;
  /** Read position inside chunks[head]. */
  private headOffset = 0;
  private bufferedBytes = 0;
  /** packLen and headerLen of the next packet once its framing is read; 0 before. */
  private packLen = 0;
  private headerLen = 0;
  /** The stream is out of step after a bad header; every later push repeats the error. */
  private failure: ProtocolError | undefined;

  constructor(opts?: DecodeOptions) {
    this.maxPacketLen = maxPacketLenOf(opts);
  }

  /** Bytes held waiting for the rest of a packet. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /**
   * All packets completed by this chunk, in order. Throws the first
   * ProtocolError met; packets completed earlier in the same chunk are dropped
   * with it, as the connection is ending anyway.
   */
  push(chunk: Uint8Array): Packet[] {
    if (this.failure) throw this.failure;
    const out: Packet[] = [];
    if (chunk.length === 0) return out;
    if (this.chunks === NO_CHUNKS) this.chunks = [chunk];
    else this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    try {
      for (;;) {
        if (this.packLen === 0) {
          // Validate as soon as packLen and headerLen are in, not after a huge body.
          if (this.bufferedBytes < FRAMING_LEN) break;
          this.readFraming();
        }
        if (this.bufferedBytes < this.packLen) break;
        out.push(this.takePacket());
      }
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.failure = err;
        this.release();
      }
      throw err;
    }
    return out;
  }

  private readFraming(): void {
    let bytes = this.chunks[this.head]!;
    let offset = this.headOffset;
    if (bytes.length - offset < FRAMING_LEN) {
      this.copyOut(framingScratch, FRAMING_LEN);
      bytes = framingScratch;
      offset = 0;
    }
    const packLen = readU32(bytes, offset + PACK_LEN_OFFSET);
    const headerLen = readU16(bytes, offset + HEADER_LEN_OFFSET);
    checkFraming(packLen, headerLen, this.maxPacketLen);
    this.packLen = packLen;
    this.headerLen = headerLen;
  }

  /** Decodes and consumes the next packet, all of whose bytes are buffered. */
  private takePacket(): Packet {
    const { packLen, headerLen } = this;
    const first = this.chunks[this.head]!;
    let packet: Packet;
    if (first.length - this.headOffset >= packLen) {
      packet = packetAt(first, this.headOffset, packLen, headerLen);
      this.headOffset += packLen;
      if (this.headOffset === first.length) this.dropHead();
    } else {
      // The one copy: a packet that spans chunks needs contiguous bytes.
      const bytes = new Uint8Array(packLen);
      this.copyOut(bytes, packLen);
      this.consume(packLen);
      packet = packetAt(bytes, 0, packLen, headerLen);
    }
    this.bufferedBytes -= packLen;
    this.packLen = 0;
    return packet;
  }

  /** Copies the next n buffered bytes into target without consuming them. */
  private copyOut(target: Uint8Array, n: number): void {
    let written = 0;
    let offset = this.headOffset;
    for (let i = this.head; written < n; i++) {
      const c = this.chunks[i]!;
      const take = Math.min(c.length - offset, n - written);
      target.set(c.subarray(offset, offset + take), written);
      written += take;
      offset = 0;
    }
  }

  /** Advances the read position by n bytes (bufferedBytes is the caller's). */
  private consume(n: number): void {
    while (n > 0) {
      const left = this.chunks[this.head]!.length - this.headOffset;
      if (n < left) {
        this.headOffset += n;
        return;
      }
      n -= left;
      this.dropHead();
    }
  }

  private dropHead(): void {
    this.head++;
    this.headOffset = 0;
    if (this.head === this.chunks.length) {
      this.chunks = NO_CHUNKS;
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= this.chunks.length) {
      // Amortised compaction: each dropped chunk pays for moving at most one live one.
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  private release(): void {
    this.chunks = NO_CHUNKS;
    this.head = 0;
    this.headOffset = 0;
    this.bufferedBytes = 0;
  }
}
