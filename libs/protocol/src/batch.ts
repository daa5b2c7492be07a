import { readU16, readU32 } from './big-endian';
import { checkFraming, encodedLength, encodeInto, maxPacketLenOf, packetAt, sealChecksum, writeHeader } from './codec';
import { ProtocolError } from './errors';
import { Op } from './ops';
import { HEADER_LEN, HEADER_LEN_CHECKSUM, HEADER_LEN_OFFSET, PACK_LEN_OFFSET, VERSION, type DecodeOptions, type Packet, type PacketInit } from './packet';

export interface BatchOptions {
  /** Outer header with a checksum. Inner packets follow their own `checksum`. */
  checksum?: boolean;
  /** Outer seq, default 0. */
  seq?: number;
}

/** One op-9 (Raw) packet whose body is the inner packets back to back, built in one buffer. */
export function encodeBatch(packets: readonly PacketInit[], opts?: BatchOptions): Uint8Array {
  const checksum = opts?.checksum ?? false;
  const headerLen = checksum ? HEADER_LEN_CHECKSUM : HEADER_LEN;
  let packLen = headerLen;
  for (const p of packets) packLen += encodedLength(p.body?.length ?? 0, p.checksum ?? false);
  const out = new Uint8Array(packLen);
  writeHeader(out, 0, packLen, headerLen, VERSION, Op.Raw, opts?.seq ?? 0);
  let offset = headerLen;
  for (const p of packets) offset += encodeInto(out, offset, p);
  // Last, so the outer crc covers the finished inner packets.
  if (checksum) sealChecksum(out, 0, packLen);
  return out;
}

/**
 * The inner packets of an op-9 body, in order; each body is a view into
 * `body`. Inner packets are not unpacked further, even if they are op 9.
 */
export function decodeBatch(body: Uint8Array, opts?: DecodeOptions): Packet[] {
  return decodeSequence(body, opts, 'bad_batch', 'batch');
}

/**
 * The packets of one WebSocket message, which must hold whole packets back to back; each body is
 * a view into `bytes`. No decoder state is kept between messages, so a WebSocket connection needs
 * none.
 */
export function decodeMessage(bytes: Uint8Array, opts?: DecodeOptions): Packet[] {
  return decodeSequence(bytes, opts, 'bad_packet_len', 'WebSocket message');
}

function decodeSequence(bytes: Uint8Array, opts: DecodeOptions | undefined, code: 'bad_batch' | 'bad_packet_len', what: string): Packet[] {
  const max = maxPacketLenOf(opts);
  const out: Packet[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    if (left < HEADER_LEN) {
      throw new ProtocolError(code, `${what} ends with ${left} bytes, shorter than a ${HEADER_LEN}-byte header`);
    }
    const packLen = readU32(bytes, offset + PACK_LEN_OFFSET);
    const headerLen = readU16(bytes, offset + HEADER_LEN_OFFSET);
    checkFraming(packLen, headerLen, max);
    if (packLen > left) {
      throw new ProtocolError(code, `${what}: packLen ${packLen} at offset ${offset} exceeds the ${left} bytes left`);
    }
    out.push(packetAt(bytes, offset, packLen, headerLen));
    offset += packLen;
  }
  return out;
}
