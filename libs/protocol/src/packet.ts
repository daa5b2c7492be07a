/** The protocol version imgate writes. Not validated on decode: goim clients differ. */
export const VERSION = 1;
/** goim's header: packLen u32, headerLen u16, ver u16, op u32, seq u32. */
export const HEADER_LEN = 16;
/** goim's header plus a CRC-32 u32. */
export const HEADER_LEN_CHECKSUM = 20;
/** Largest packet accepted by default, header included. */
export const MAX_PACKET_LEN_DEFAULT = 1 << 20;

// Field offsets inside the header, all big-endian.
export const PACK_LEN_OFFSET = 0;
export const HEADER_LEN_OFFSET = 4;
export const VER_OFFSET = 6;
export const OP_OFFSET = 8;
export const SEQ_OFFSET = 12;
export const CHECKSUM_OFFSET = 16;
/** packLen and headerLen: enough to validate framing before the rest arrives. */
export const FRAMING_LEN = 6;

export interface Packet {
  ver: number;
  op: number;
  seq: number;
  /** On decode, a view into the input bytes (no copy). */
  body: Uint8Array;
  /** True when the packet uses (or used) the 20-byte header with a checksum. */
  checksum: boolean;
}

/** What encode needs; everything but op has a default. */
export interface PacketInit {
  op: number;
  /** Default 0. */
  seq?: number;
  /** Default empty. */
  body?: Uint8Array;
  /** Default VERSION. */
  ver?: number;
  /** Default false (goim's 16-byte header). */
  checksum?: boolean;
}

export interface DecodeOptions {
  /** Largest packLen accepted, header included. Default MAX_PACKET_LEN_DEFAULT. */
  maxPacketLen?: number;
}
