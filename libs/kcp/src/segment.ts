/**
 * KCP segment layout, byte-compatible with skywind3000/kcp (ikcp.c).
 *
 * Every segment starts with a 24-byte little-endian header; `len` bytes of
 * payload follow, and one datagram may carry several segments back to back.
 *
 *   offset  size  field
 *        0     4  conv   conversation id, both ends must agree
 *        4     1  cmd    CMD_PUSH | CMD_ACK | CMD_WASK | CMD_WINS
 *        5     1  frg    fragments still to come in this message (0 = last)
 *        6     2  wnd    sender's free receive window, in segments
 *        8     4  ts     send time (ms); an ACK echoes the acked segment's ts
 *       12     4  sn     sequence number
 *       16     4  una    everything below this sn has been received
 *       20     4  len    payload length
 */

export const OVERHEAD = 24;

export const CMD_PUSH = 81;
export const CMD_ACK = 82;
/** Window probe: "tell me your window", sent while the peer advertises 0. */
export const CMD_WASK = 83;
/** Window tell: the answer to WASK, or an unsolicited "my window reopened". */
export const CMD_WINS = 84;

const OFF_CONV = 0;
const OFF_CMD = 4;
const OFF_FRG = 5;
const OFF_WND = 6;
const OFF_TS = 8;
const OFF_SN = 12;
const OFF_UNA = 16;
const OFF_LEN = 20;

export interface SegmentHeader {
  conv: number;
  cmd: number;
  frg: number;
  wnd: number;
  ts: number;
  sn: number;
  una: number;
  len: number;
}

/** A decoded segment: its header and a view of its payload (not a copy). */
export interface Segment extends SegmentHeader {
  data: Uint8Array;
}

export function isKcpCommand(cmd: number): boolean {
  return cmd === CMD_PUSH || cmd === CMD_ACK || cmd === CMD_WASK || cmd === CMD_WINS;
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Writes a header at `offset`; narrow fields are truncated like C casts. */
export function writeHeader(view: DataView, offset: number, h: SegmentHeader): void {
  view.setUint32(offset + OFF_CONV, h.conv >>> 0, true);
  view.setUint8(offset + OFF_CMD, h.cmd & 0xff);
  view.setUint8(offset + OFF_FRG, h.frg & 0xff);
  view.setUint16(offset + OFF_WND, h.wnd & 0xffff, true);
  view.setUint32(offset + OFF_TS, h.ts >>> 0, true);
  view.setUint32(offset + OFF_SN, h.sn >>> 0, true);
  view.setUint32(offset + OFF_UNA, h.una >>> 0, true);
  view.setUint32(offset + OFF_LEN, h.len >>> 0, true);
}

/** Reads the header at `offset`; the caller guarantees 24 bytes are there. */
export function readHeader(view: DataView, offset: number): SegmentHeader {
  return {
    conv: view.getUint32(offset + OFF_CONV, true),
    cmd: view.getUint8(offset + OFF_CMD),
    frg: view.getUint8(offset + OFF_FRG),
    wnd: view.getUint16(offset + OFF_WND, true),
    ts: view.getUint32(offset + OFF_TS, true),
    sn: view.getUint32(offset + OFF_SN, true),
    una: view.getUint32(offset + OFF_UNA, true),
    len: view.getUint32(offset + OFF_LEN, true),
  };
}

/** One segment as bytes; `len` is taken from the payload, not from `h`. */
export function encodeSegment(h: Omit<SegmentHeader, 'len'>, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(OVERHEAD + data.length);
  writeHeader(viewOf(out), 0, { ...h, len: data.length });
  out.set(data, OVERHEAD);
  return out;
}

/**
 * Splits a datagram into its segments without judging commands or conv.
 * Returns null when a header is cut short or a `len` runs past the end,
 * the same framing errors ikcp_input reports as -1 and -2.
 */
export function decodeSegments(datagram: Uint8Array): Segment[] | null {
  if (datagram.length < OVERHEAD) return null;
  const view = viewOf(datagram);
  const segments: Segment[] = [];
  let offset = 0;
  while (datagram.length - offset >= OVERHEAD) {
    const h = readHeader(view, offset);
    offset += OVERHEAD;
    if (h.len > datagram.length - offset) return null;
    segments.push({ ...h, data: datagram.subarray(offset, offset + h.len) });
    offset += h.len;
  }
  // Fewer than 24 trailing bytes are ignored, as ikcp_input ignores them.
  return segments;
}

/** The conversation id of a datagram (ikcp_getconv), or null if it is too short to hold a header. */
export function readConv(datagram: Uint8Array): number | null {
  if (datagram.length < OVERHEAD) return null;
  return viewOf(datagram).getUint32(OFF_CONV, true);
}
