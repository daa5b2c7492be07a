import { formatIp, IP_BYTES, parseIp } from './ip';
import { OVERHEAD, readHeader, viewOf, writeHeader } from './segment';

/*
 * imgate's KCP extension commands, from the nnet design (seed 001). They use
 * the ordinary 24-byte little-endian segment header with command numbers that
 * stock ikcp rejects (ikcp_input returns -3), so only imgate's own SDK and
 * relay send them, and the comet's listener routes them before the engine.
 * Only `conv`, `cmd` and `len` mean anything in their headers; the rest is 0.
 */

/** Real client address, stamped by a trusted relay. */
export const CMD_NEW = 80;
/** "I am gone, release my session now" (client -> server), instead of waiting for a timeout. */
export const CMD_FIN = 85;
/** "You are disconnected, and why" (server -> client). */
export const CMD_KICK = 86;
/** "I do not know this conv, start a new session" (server -> client, e.g. after a restart). */
export const CMD_RECONNECT = 87;

/** Body of NEW: ver u8, len u8, port u16, 16-byte address. */
export const NEW_BODY_SIZE = 20;
/** Where a relay finds the address block in a NEW datagram; it can stamp it without parsing. */
export const NEW_BODY_OFFSET = OVERHEAD;
/** Longest KICK reason in UTF-8 bytes, so a KICK always fits one datagram at any mtu. */
export const KICK_REASON_MAX = 1000;

export function isExtensionCommand(cmd: number): boolean {
  return cmd === CMD_NEW || cmd === CMD_FIN || cmd === CMD_KICK || cmd === CMD_RECONNECT;
}

export interface NewAddress {
  /** Reserved by the nnet design; 0 unless a later version defines it. */
  ver: number;
  /** Reserved by the nnet design; 0 unless a later version defines it. */
  len: number;
  /** Dotted quad for IPv4 (stored as ::ffff:a.b.c.d), RFC 5952 text for IPv6; "::" until a relay stamps it. */
  ip: string;
  port: number;
}

export interface NewMessage extends NewAddress {
  cmd: typeof CMD_NEW;
  conv: number;
  /** Whatever follows the NEW segment in the datagram (ordinary KCP segments for the engine), possibly empty. */
  rest: Uint8Array;
}

export type ControlMessage =
  | NewMessage
  | { cmd: typeof CMD_FIN; conv: number }
  | { cmd: typeof CMD_KICK; conv: number; code: number; reason: string }
  | { cmd: typeof CMD_RECONNECT; conv: number };

function control(conv: number, cmd: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(OVERHEAD + body.length);
  writeHeader(viewOf(out), 0, { conv, cmd, frg: 0, wnd: 0, ts: 0, sn: 0, una: 0, len: body.length });
  out.set(body, OVERHEAD);
  return out;
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
}

/**
 * Writes the address block. The seed gives no byte order; port and address
 * are big-endian (network order), as a relay copies them from the IP and
 * UDP headers, unlike the little-endian KCP header around them.
 */
function writeAddress(view: DataView, offset: number, a: Omit<NewAddress, 'ip'>, ip: Uint8Array): void {
  view.setUint8(offset, a.ver);
  view.setUint8(offset + 1, a.len);
  view.setUint16(offset + 2, a.port, false);
  new Uint8Array(view.buffer, view.byteOffset + offset + 4, IP_BYTES).set(ip);
}

/**
 * A NEW segment. The SDK sends it with ip "::" and port 0 (all zero, as the
 * seed says) and the relay stamps the real address. Unlike nnet, which turns
 * the client's PUSH segments into NEW ones, imgate keeps NEW a separate
 * segment at the front of the datagram; append ordinary segments with `rest`.
 * Throws RangeError on a malformed ip or an out-of-range number.
 */
export function encodeNew(opts: { conv: number; ip: string; port: number; ver?: number; len?: number; rest?: Uint8Array }): Uint8Array {
  const ip = parseIp(opts.ip);
  if (ip === null) throw new RangeError(`not an IP address: ${JSON.stringify(opts.ip)}`);
  const ver = opts.ver ?? 0;
  const len = opts.len ?? 0;
  checkRange('port', opts.port, 0xffff);
  checkRange('ver', ver, 0xff);
  checkRange('len', len, 0xff);
  const body = new Uint8Array(NEW_BODY_SIZE);
  writeAddress(viewOf(body), 0, { ver, len, port: opts.port }, ip);
  const segment = control(opts.conv, CMD_NEW, body);
  const rest = opts.rest ?? new Uint8Array(0);
  const out = new Uint8Array(segment.length + rest.length);
  out.set(segment, 0);
  out.set(rest, segment.length);
  return out;
}

/** The relay's job: overwrite the address block of a NEW datagram in place. False if it is not one. */
export function stampNew(datagram: Uint8Array, ip: string, port: number): boolean {
  const bytes = parseIp(ip);
  if (bytes === null || !Number.isInteger(port) || port < 0 || port > 0xffff) return false;
  if (decodeNew(datagram) === null) return false;
  const view = viewOf(datagram);
  writeAddress(view, NEW_BODY_OFFSET, { ver: view.getUint8(NEW_BODY_OFFSET), len: view.getUint8(NEW_BODY_OFFSET + 1), port }, bytes);
  return true;
}

/** A NEW datagram's address and what follows it, or null if it is not a well-formed NEW. */
export function decodeNew(datagram: Uint8Array): NewMessage | null {
  const message = decodeControl(datagram);
  return message !== null && message.cmd === CMD_NEW ? message : null;
}

export function encodeFin(conv: number): Uint8Array {
  return control(conv, CMD_FIN);
}

export function encodeReconnect(conv: number): Uint8Array {
  return control(conv, CMD_RECONNECT);
}

/**
 * A KICK: u16 reason code (little-endian like the KCP header; the seed does
 * not define this body) then the UTF-8 reason, cut at a character boundary
 * to KICK_REASON_MAX bytes.
 */
export function encodeKick(conv: number, code: number, reason = ''): Uint8Array {
  checkRange('code', code, 0xffff);
  let text = new TextEncoder().encode(reason);
  if (text.length > KICK_REASON_MAX) {
    let cut = KICK_REASON_MAX;
    while (cut > 0 && (text[cut] & 0xc0) === 0x80) cut--; // do not split a multi-byte character
    text = text.subarray(0, cut);
  }
  const body = new Uint8Array(2 + text.length);
  viewOf(body).setUint16(0, code, true);
  body.set(text, 2);
  return control(conv, CMD_KICK, body);
}

/**
 * The extension segment at the front of a datagram, or null when the first
 * segment is an ordinary KCP one, is cut short, or has a malformed body.
 * Never throws.
 */
export function decodeControl(datagram: Uint8Array): ControlMessage | null {
  if (datagram.length < OVERHEAD) return null;
  const view = viewOf(datagram);
  const h = readHeader(view, 0);
  if (!isExtensionCommand(h.cmd) || h.len > datagram.length - OVERHEAD) return null;
  const body = datagram.subarray(OVERHEAD, OVERHEAD + h.len);
  switch (h.cmd) {
    case CMD_NEW:
      // A longer body is tolerated (room for a later `ver`); the first 20 bytes keep their meaning.
      if (body.length < NEW_BODY_SIZE) return null;
      return {
        cmd: CMD_NEW,
        conv: h.conv,
        ver: body[0],
        len: body[1],
        port: viewOf(body).getUint16(2, false),
        ip: formatIp(body.subarray(4, 4 + IP_BYTES)),
        rest: datagram.subarray(OVERHEAD + h.len),
      };
    case CMD_KICK:
      if (body.length < 2) return null;
      return {
        cmd: CMD_KICK,
        conv: h.conv,
        code: viewOf(body).getUint16(0, true),
        reason: new TextDecoder('utf-8').decode(body.subarray(2)), // invalid bytes become U+FFFD, never an exception
      };
    case CMD_FIN:
      return { cmd: CMD_FIN, conv: h.conv };
    case CMD_RECONNECT:
      return { cmd: CMD_RECONNECT, conv: h.conv };
    default:
      return null;
  }
}
