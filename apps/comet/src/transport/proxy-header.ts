/**
 * HAProxy's PROXY protocol, versions 1 (text) and 2 (binary), as a pure parser: bytes in, a
 * verdict out. The listener feeds it what has arrived so far (reads may split the header anywhere)
 * and acts once it says `header`, `none` or `error`. Spec:
 * https://www.haproxy.org/download/2.8/doc/proxy-protocol.txt
 */
import { formatIp } from '@imgate/kcp';

export interface ProxyAddress {
  address: string;
  port: number;
}

export type ProxyParse =
  /** Could still be a header: wait for more bytes. */
  | { kind: 'incomplete' }
  /** These bytes do not start a PROXY header (a client speaking the protocol directly). */
  | { kind: 'none' }
  | { kind: 'error'; reason: string }
  /**
   * A whole header of `length` bytes. `source` is the client's address; absent for a LOCAL
   * command (a proxy's own health check), v1 `UNKNOWN`, and families other than TCP/UDP over IP.
   */
  | { kind: 'header'; version: 1 | 2; length: number; source?: ProxyAddress };

/** `\r\n\r\n\0\r\nQUIT\n` */
export const V2_SIGNATURE = Uint8Array.of(0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a);
const V1_PREFIX = Uint8Array.of(0x50, 0x52, 0x4f, 0x58, 0x59, 0x20); // "PROXY "
/** v1's longest line, CRLF included (the spec's 107). */
const V1_MAX = 107;
const V2_FIXED = 16;
/** Address block plus TLVs we accept; HAProxy's own stay far below (the spec allows 64 KiB). */
export const V2_MAX_PAYLOAD = 4_096;

function startsWithPrefixOf(bytes: Uint8Array, prefix: Uint8Array): 'full' | 'partial' | 'no' {
  const n = Math.min(bytes.length, prefix.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== prefix[i]) return 'no';
  return bytes.length >= prefix.length ? 'full' : 'partial';
}

/** Whether these first bytes are (the start of) a PROXY header of either version. */
export function looksLikeProxyHeader(bytes: Uint8Array): boolean {
  return bytes.length > 0 && (startsWithPrefixOf(bytes, V1_PREFIX) !== 'no' || startsWithPrefixOf(bytes, V2_SIGNATURE) !== 'no');
}

export function parseProxyHeader(bytes: Uint8Array): ProxyParse {
  if (bytes.length === 0) return { kind: 'incomplete' };
  const v2 = startsWithPrefixOf(bytes, V2_SIGNATURE);
  if (v2 === 'full') return parseV2(bytes);
  const v1 = startsWithPrefixOf(bytes, V1_PREFIX);
  if (v1 === 'full') return parseV1(bytes);
  return v1 === 'partial' || v2 === 'partial' ? { kind: 'incomplete' } : { kind: 'none' };
}

function parseV2(b: Uint8Array): ProxyParse {
  if (b.length < V2_FIXED) return { kind: 'incomplete' };
  const verCmd = b[12];
  if (verCmd >> 4 !== 2) return { kind: 'error', reason: `PROXY v2: version ${verCmd >> 4}` };
  const command = verCmd & 0x0f;
  if (command > 1) return { kind: 'error', reason: `PROXY v2: command ${command}` };
  const family = b[13] >> 4;
  const proto = b[13] & 0x0f;
  const len = (b[14] << 8) | b[15];
  if (len > V2_MAX_PAYLOAD) return { kind: 'error', reason: `PROXY v2: ${len} bytes of addresses and TLVs (limit ${V2_MAX_PAYLOAD})` };
  if (b.length < V2_FIXED + len) return { kind: 'incomplete' };
  const length = V2_FIXED + len;
  // LOCAL: the proxy speaks for itself (health checks); the addresses, if any, are ignored.
  if (command === 0) return { kind: 'header', version: 2, length };
  // Stream or datagram over IPv4/IPv6 carry addresses; UNSPEC and unix sockets do not name a client IP.
  if (proto !== 1 && proto !== 2) return family === 0 ? { kind: 'header', version: 2, length } : { kind: 'error', reason: `PROXY v2: transport ${proto}` };
  const p = V2_FIXED;
  if (family === 1) {
    if (len < 12) return { kind: 'error', reason: 'PROXY v2: IPv4 addresses need 12 bytes' };
    return { kind: 'header', version: 2, length, source: { address: `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`, port: (b[p + 8] << 8) | b[p + 9] } };
  }
  if (family === 2) {
    if (len < 36) return { kind: 'error', reason: 'PROXY v2: IPv6 addresses need 36 bytes' };
    return { kind: 'header', version: 2, length, source: { address: formatIp(b.subarray(p, p + 16), 'mapped'), port: (b[p + 32] << 8) | b[p + 33] } };
  }
  if (family === 0 || family === 3) return { kind: 'header', version: 2, length };
  return { kind: 'error', reason: `PROXY v2: address family ${family}` };
}

function parseV1(b: Uint8Array): ProxyParse {
  let end = -1;
  const limit = Math.min(b.length, V1_MAX);
  for (let i = V1_PREFIX.length; i < limit - 1; i++) {
    if (b[i] === 0x0d && b[i + 1] === 0x0a) {
      end = i;
      break;
    }
  }
  if (end < 0) return b.length >= V1_MAX ? { kind: 'error', reason: 'PROXY v1: no CRLF within 107 bytes' } : { kind: 'incomplete' };
  let line = '';
  for (let i = 0; i < end; i++) {
    if (b[i] < 0x20 || b[i] > 0x7e) return { kind: 'error', reason: 'PROXY v1: non-printable byte' };
    line += String.fromCharCode(b[i]);
  }
  const length = end + 2;
  const parts = line.split(' ');
  if (parts[1] === 'UNKNOWN') return { kind: 'header', version: 1, length };
  if (parts.length !== 6) return { kind: 'error', reason: 'PROXY v1: expected "PROXY TCP4|TCP6 src dst sport dport"' };
  const [, family, src, , sport, dport] = parts;
  const ok = family === 'TCP4' ? isIpv4(src) && isIpv4(parts[3]) : family === 'TCP6' ? isIpv6(src) && isIpv6(parts[3]) : false;
  if (!ok) return { kind: 'error', reason: `PROXY v1: bad ${family} addresses` };
  if (!isPort(sport) || !isPort(dport)) return { kind: 'error', reason: 'PROXY v1: bad port' };
  return { kind: 'header', version: 1, length, source: { address: family === 'TCP6' ? src.toLowerCase() : src, port: Number(sport) } };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

function isIpv6(s: string): boolean {
  return /^[0-9A-Fa-f:.]{2,45}$/.test(s) && s.includes(':');
}

function isPort(s: string): boolean {
  return /^(0|[1-9]\d{0,4})$/.test(s) && Number(s) <= 65_535;
}
