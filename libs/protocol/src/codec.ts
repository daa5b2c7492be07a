import { readU16, readU32, writeU16, writeU32 } from './big-endian';
import { crc32, crc32Update } from './crc32';
import { ProtocolError } from './errors';
import {
  CHECKSUM_OFFSET,
  HEADER_LEN,
  HEADER_LEN_CHECKSUM,
  HEADER_LEN_OFFSET,
  MAX_PACKET_LEN_DEFAULT,
  OP_OFFSET,
  PACK_LEN_OFFSET,
  SEQ_OFFSET,
  VER_OFFSET,
  VERSION,
  type DecodeOptions,
  type Packet,
  type PacketInit,
} from './packet';

const EMPTY = new Uint8Array(0);
/** Stands in for the checksum field while the crc is computed. */
const ZERO_CHECKSUM = new Uint8Array(4);
const MAX_U32 = 0xffffffff;

/** Bytes a packet with this body length takes on the wire. */
export function encodedLength(bodyLen: number, checksum: boolean): number {
  return (checksum ? HEADER_LEN_CHECKSUM : HEADER_LEN) + bodyLen;
}

/** One packet in a fresh buffer of exactly packLen bytes; the body is copied once. */
export function encode(p: PacketInit): Uint8Array {
  const out = new Uint8Array(encodedLength(p.body?.length ?? 0, p.checksum ?? false));
  encodeInto(out, 0, p);
  return out;
}

/**
 * Writes one packet at target[offset]; returns the bytes written. Lets a
 * caller lay several packets (a batch, a TCP write) into one buffer.
 */
export function encodeInto(target: Uint8Array, offset: number, p: PacketInit): number {
  const body = p.body ?? EMPTY;
  const checksum = p.checksum ?? false;
  const headerLen = checksum ? HEADER_LEN_CHECKSUM : HEADER_LEN;
  const packLen = headerLen + body.length;
  if (packLen > MAX_U32) throw new RangeError(`packLen ${packLen} does not fit in u32`);
  if (offset < 0 || offset + packLen > target.length) {
    throw new RangeError(`packet of ${packLen} bytes does not fit at offset ${offset} of ${target.length}`);
  }
  writeHeader(target, offset, packLen, headerLen, p.ver ?? VERSION, p.op, p.seq ?? 0);
  target.set(body, offset + headerLen);
  if (checksum) sealChecksum(target, offset, packLen);
  return packLen;
}

/** Writes the header; a checksum field, if any, is left zero for sealChecksum. */
export function writeHeader(
  target: Uint8Array,
  offset: number,
  packLen: number,
  headerLen: number,
  ver: number,
  op: number,
  seq: number,
): void {
  // Wrapping silently would put a different op or seq on the wire than the caller meant.
  if ((ver & 0xffff) !== ver) throw new RangeError(`ver ${ver} is not a u16`);
  if (op >>> 0 !== op) throw new RangeError(`op ${op} is not a u32`);
  if (seq >>> 0 !== seq) throw new RangeError(`seq ${seq} is not a u32`);
  writeU32(target, offset + PACK_LEN_OFFSET, packLen);
  writeU16(target, offset + HEADER_LEN_OFFSET, headerLen);
  writeU16(target, offset + VER_OFFSET, ver);
  writeU32(target, offset + OP_OFFSET, op);
  writeU32(target, offset + SEQ_OFFSET, seq);
  if (headerLen === HEADER_LEN_CHECKSUM) writeU32(target, offset + CHECKSUM_OFFSET, 0);
}

/** Fills the checksum field of a fully written packet whose checksum field is zero. */
export function sealChecksum(target: Uint8Array, offset: number, packLen: number): void {
  writeU32(target, offset + CHECKSUM_OFFSET, crc32(target, offset, offset + packLen));
}

/** packLen at bytes[offset], for framing; needs 4 bytes. */
export function readPackLen(bytes: Uint8Array, offset = 0): number {
  if (offset < 0 || offset + 4 > bytes.length) {
    throw new ProtocolError('short_header', `need 4 bytes for packLen at offset ${offset}, have ${bytes.length - offset}`);
  }
  return readU32(bytes, offset + PACK_LEN_OFFSET);
}

export function maxPacketLenOf(opts: DecodeOptions | undefined): number {
  return opts?.maxPacketLen ?? MAX_PACKET_LEN_DEFAULT;
}

/** The framing rules: everything a reader can check from packLen and headerLen alone. */
export function checkFraming(packLen: number, headerLen: number, maxPacketLen: number): void {
  if (headerLen !== HEADER_LEN && headerLen !== HEADER_LEN_CHECKSUM) {
    throw new ProtocolError('bad_header_len', `headerLen ${headerLen} is neither ${HEADER_LEN} nor ${HEADER_LEN_CHECKSUM}`);
  }
  if (packLen < headerLen) {
    throw new ProtocolError('bad_packet_len', `packLen ${packLen} is smaller than headerLen ${headerLen}`);
  }
  if (packLen > maxPacketLen) {
    throw new ProtocolError('packet_too_large', `packLen ${packLen} exceeds the limit of ${maxPacketLen} bytes`);
  }
}

/**
 * Reads the packet at bytes[offset] whose framing was already checked and
 * whose packLen bytes are all present; verifies the checksum if it has one.
 */
export function packetAt(bytes: Uint8Array, offset: number, packLen: number, headerLen: number): Packet {
  const end = offset + packLen;
  const checksum = headerLen === HEADER_LEN_CHECKSUM;
  if (checksum) {
    const sent = readU32(bytes, offset + CHECKSUM_OFFSET);
    // The crc covers the whole packet with the checksum field read as zero.
    let c = crc32(bytes, offset, offset + CHECKSUM_OFFSET);
    c = crc32Update(c, ZERO_CHECKSUM);
    c = crc32Update(c, bytes, offset + HEADER_LEN_CHECKSUM, end);
    if (c !== sent) {
      throw new ProtocolError('bad_checksum', `checksum ${hex(sent)} does not match the computed ${hex(c)}`);
    }
  }
  return {
    ver: readU16(bytes, offset + VER_OFFSET),
    op: readU32(bytes, offset + OP_OFFSET),
    seq: readU32(bytes, offset + SEQ_OFFSET),
    body: bytes.subarray(offset + headerLen, end),
    checksum,
  };
}

/** Exactly one whole packet; the body is a view into bytes. */
export function decode(bytes: Uint8Array, opts?: DecodeOptions): Packet {
  if (bytes.length < HEADER_LEN) {
    throw new ProtocolError('short_header', `${bytes.length} bytes is shorter than a ${HEADER_LEN}-byte header`);
  }
  const packLen = readU32(bytes, PACK_LEN_OFFSET);
  const headerLen = readU16(bytes, HEADER_LEN_OFFSET);
  checkFraming(packLen, headerLen, maxPacketLenOf(opts));
  if (packLen > bytes.length) {
    throw new ProtocolError('bad_packet_len', `packLen ${packLen} exceeds the ${bytes.length} bytes given`);
  }
  if (packLen < bytes.length) {
    throw new ProtocolError('trailing_bytes', `${bytes.length - packLen} bytes follow the ${packLen}-byte packet`);
  }
  return packetAt(bytes, 0, packLen, headerLen);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
