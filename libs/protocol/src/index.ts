// The client wire protocol: pure, dependency-free, browser-safe (no Node built-ins).
export { decodeBatch, decodeMessage, encodeBatch, type BatchOptions } from './batch';
export { decode, encode, encodedLength, encodeInto, readPackLen } from './codec';
export { crc32 } from './crc32';
export * from './delivery';
export { ProtocolError, type ProtocolErrorCode } from './errors';
export { BUSINESS_OP_MIN, Op } from './ops';
export {
  HEADER_LEN,
  HEADER_LEN_CHECKSUM,
  MAX_PACKET_LEN_DEFAULT,
  VERSION,
  type DecodeOptions,
  type Packet,
  type PacketInit,
} from './packet';
export { StreamDecoder } from './stream-decoder';
export { roomGranted } from './room-grant';
