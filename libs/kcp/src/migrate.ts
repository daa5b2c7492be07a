import { CMD_NEW, NEW_BODY_SIZE } from './ext';
import { formatIp, IP_BYTES, parseIp } from './ip';
import { OVERHEAD, readHeader, viewOf, writeHeader } from './segment';

/*
 * Connection migration: NEW (cmd 80) segments with version bytes 2..4. A
 * session keeps its conv when the client's address changes (Wi-Fi to 4G, a NAT
 * rebinding); the comet moves it only for a NEW that proves the session secret
 * handed out in the auth reply (`kcp_secret`). Body after the 24-byte header:
 *
 *   0  ver u8      2 proof (client → comet), 3 ack (comet → client), 4 prove-request (comet → client)
 *   1  len u8      bytes after the 20-byte address block: 24 for ver 2 and 3, 0 for ver 4
 *   2  port u16    big-endian; what a trusted relay stamps (ver 2), the address the comet sees (3, 4)
 *   4  addr [16]   IPv6 or ::ffff:a.b.c.d, as in the relay stamp (ver 0/1)
 *  20  counter u64 big-endian, strictly increasing per session (ver 2; echoed by ver 3)
 *  28  mac [16]    HMAC-SHA256(secret, ver u8 ‖ conv u32 BE ‖ counter u64 BE), first 16 bytes
 *
 * The version byte is part of the MAC, so an ack can never be replayed as a proof.
 * Pure: the caller supplies HMAC-SHA256 (node:crypto, WebCrypto, …).
 */

export const MIGRATE_PROOF = 2;
export const MIGRATE_ACK = 3;
export const MIGRATE_PROVE = 4;
/** Counter and MAC after the address block. */
export const MIGRATE_PROOF_SIZE = 24;
export const MIGRATE_MAC_SIZE = 16;
export const COUNTER_MAX = 0xffff_ffff_ffff_ffffn;

export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

export interface MigrationProof {
  ver: typeof MIGRATE_PROOF | typeof MIGRATE_ACK;
  conv: number;
  counter: bigint;
  mac: Uint8Array;
  /** The address block: '::' and 0 unless stamped (ver 2) or filled by the comet (ver 3). */
  ip: string;
  port: number;
  /** Ordinary KCP segments after the NEW segment, possibly none. */
  rest: Uint8Array;
}

export interface ProveRequest {
  ver: typeof MIGRATE_PROVE;
  conv: number;
  ip: string;
  port: number;
}

export type MigrationMessage = MigrationProof | ProveRequest;

/** The 13 bytes the MAC covers. */
export function migrationMacInput(ver: number, conv: number, counter: bigint): Uint8Array {
  const out = new Uint8Array(13);
  const view = viewOf(out);
  view.setUint8(0, ver);
  view.setUint32(1, conv >>> 0, false);
  view.setBigUint64(5, counter, false);
  return out;
}

export function migrationMac(hmac: HmacSha256, secret: Uint8Array, ver: number, conv: number, counter: bigint): Uint8Array {
  return hmac(secret, migrationMacInput(ver, conv, counter)).subarray(0, MIGRATE_MAC_SIZE);
}

/** Constant-time comparison of two MACs of the same length. */
export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function newSegment(conv: number, ver: number, ip: string, port: number, proof?: { counter: bigint; mac: Uint8Array }): Uint8Array {
  const address = parseIp(ip);
  if (address === null) throw new RangeError(`not an IP address: ${JSON.stringify(ip)}`);
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`port must be an integer in 0..65535, got ${port}`);
  const bodyLen = NEW_BODY_SIZE + (proof ? MIGRATE_PROOF_SIZE : 0);
  const out = new Uint8Array(OVERHEAD + bodyLen);
  const view = viewOf(out);
  writeHeader(view, 0, { conv, cmd: CMD_NEW, frg: 0, wnd: 0, ts: 0, sn: 0, una: 0, len: bodyLen });
  view.setUint8(OVERHEAD, ver);
  view.setUint8(OVERHEAD + 1, proof ? MIGRATE_PROOF_SIZE : 0);
  view.setUint16(OVERHEAD + 2, port, false);
  out.set(address, OVERHEAD + 4);
  if (proof) {
    if (proof.counter < 0n || proof.counter > COUNTER_MAX) throw new RangeError('counter must fit in a u64');
    if (proof.mac.length !== MIGRATE_MAC_SIZE) throw new RangeError(`mac must be ${MIGRATE_MAC_SIZE} bytes`);
    view.setBigUint64(OVERHEAD + NEW_BODY_SIZE, proof.counter, false);
    out.set(proof.mac, OVERHEAD + NEW_BODY_SIZE + 8);
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array | undefined): Uint8Array {
  if (!b || b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The client's proof (ver 2), address block zero; `rest` (ordinary segments) may ride behind it. */
export function encodeMigrateProof(hmac: HmacSha256, secret: Uint8Array, conv: number, counter: bigint, rest?: Uint8Array): Uint8Array {
  const mac = migrationMac(hmac, secret, MIGRATE_PROOF, conv, counter);
  return concat(newSegment(conv, MIGRATE_PROOF, '::', 0, { counter, mac }), rest);
}

/** The comet's ack (ver 3): the counter it accepted and the address it now sends to. */
export function encodeMigrateAck(hmac: HmacSha256, secret: Uint8Array, conv: number, counter: bigint, ip: string, port: number): Uint8Array {
  return newSegment(conv, MIGRATE_ACK, ip, port, { counter, mac: migrationMac(hmac, secret, MIGRATE_ACK, conv, counter) });
}

/** The comet's prove-request (ver 4): a segment of this conv came from ip:port, which its session does not have. */
export function encodeProveRequest(conv: number, ip: string, port: number): Uint8Array {
  return newSegment(conv, MIGRATE_PROVE, ip, port);
}

/**
 * A migration NEW (ver 2, 3 or 4) at the front of a datagram, or null for anything else (another
 * command, a relay stamp ver 0/1, a cut or malformed body). Never throws; the MAC is not checked.
 */
export function decodeMigration(datagram: Uint8Array): MigrationMessage | null {
  if (datagram.length < OVERHEAD + NEW_BODY_SIZE) return null;
  const view = viewOf(datagram);
  const h = readHeader(view, 0);
  if (h.cmd !== CMD_NEW || h.len > datagram.length - OVERHEAD || h.len < NEW_BODY_SIZE) return null;
  const ver = view.getUint8(OVERHEAD);
  const extra = view.getUint8(OVERHEAD + 1);
  const port = view.getUint16(OVERHEAD + 2, false);
  const ip = formatIp(datagram.subarray(OVERHEAD + 4, OVERHEAD + 4 + IP_BYTES));
  if (ver === MIGRATE_PROVE) return { ver, conv: h.conv, ip, port };
  if (ver !== MIGRATE_PROOF && ver !== MIGRATE_ACK) return null;
  if (extra < MIGRATE_PROOF_SIZE || h.len < NEW_BODY_SIZE + MIGRATE_PROOF_SIZE) return null;
  const at = OVERHEAD + NEW_BODY_SIZE;
  return {
    ver,
    conv: h.conv,
    counter: view.getBigUint64(at, false),
    mac: datagram.slice(at + 8, at + 8 + MIGRATE_MAC_SIZE),
    ip,
    port,
    rest: datagram.subarray(OVERHEAD + h.len),
  };
}

/** True when the proof's MAC is right for this secret (the counter's freshness is the caller's check). */
export function verifyMigration(hmac: HmacSha256, secret: Uint8Array, m: MigrationProof): boolean {
  return macEqual(migrationMac(hmac, secret, m.ver, m.conv, m.counter), m.mac);
}
