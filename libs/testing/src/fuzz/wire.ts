import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { Kcp } from '@imgate/kcp';
import { WebSocket } from 'ws';
import { authFrame, type FrameKind, mutatedFrame, splitRandomly } from './frames';
import type { Rng } from './rng';

export type Transport = 'tcp' | 'ws' | 'kcp';

export interface WireStats {
  frames: Record<Transport, number>;
  connections: Record<Transport, number>;
  kinds: Partial<Record<FrameKind | 'auth' | 'raw-datagram' | 'kcp-segment' | 'text-message' | 'bad-upgrade', number>>;
}

export function emptyWireStats(): WireStats {
  return { frames: { tcp: 0, ws: 0, kcp: 0 }, connections: { tcp: 0, ws: 0, kcp: 0 }, kinds: {} };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `n` frames for one connection; a third of connections authenticate first (valid auth, then garbage). */
function burst(rng: Rng, stats: WireStats, n: number): { auth: boolean; frames: Buffer[] } {
  const frames: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const f = mutatedFrame(rng);
    stats.kinds[f.kind] = (stats.kinds[f.kind] ?? 0) + 1;
    frames.push(f.bytes);
  }
  return { auth: rng.chance(0.33), frames };
}

/** One TCP connection: frames pipelined in one write or split across many, optionally after a valid auth. */
export async function fuzzTcpOnce(port: number, rng: Rng, stats: WireStats, n: number): Promise<number> {
  const { auth, frames } = burst(rng, stats, n);
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', r).once('error', () => r()));
  if (socket.destroyed) return 0;
  stats.connections.tcp++;
  if (auth) {
    socket.write(authFrame(1 + rng.int(1_000_000)));
    stats.kinds.auth = (stats.kinds.auth ?? 0) + 1;
    await Promise.race([sleep(50), closed]);
  }
  const all = Buffer.concat(frames);
  const pieces = rng.chance(0.5) ? [all] : splitRandomly(rng, all, 16);
  for (const p of pieces) {
    if (socket.destroyed) break;
    socket.write(p);
    if (pieces.length > 1) await tick();
  }
  stats.frames.tcp += n;
  // Let the comet answer (or close); then go.
  await Promise.race([sleep(20 + rng.int(30)), closed]);
  socket.destroy();
  return n;
}

/** One WebSocket: a binary message per frame (or several frames in one), the odd text message, or a bad upgrade. */
export async function fuzzWsOnce(port: number, rng: Rng, stats: WireStats, n: number): Promise<number> {
  if (rng.chance(0.05)) {
    // Not a WebSocket at all: a broken upgrade request, then garbage.
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(rng.pick(['GET /sub HTTP/1.1\r\nUpgrade: websocket\r\n\r\n', 'GET /sub HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: bad\r\n\r\n', 'POST /sub HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello']));
    socket.write(rng.bytes(rng.int(512)));
    stats.kinds['bad-upgrade'] = (stats.kinds['bad-upgrade'] ?? 0) + 1;
    stats.frames.ws++;
    await sleep(20);
    socket.destroy();
    return 1;
  }
  const { auth, frames } = burst(rng, stats, n);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/sub`);
  ws.on('error', () => undefined);
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  const opened = await Promise.race([new Promise<boolean>((r) => ws.once('open', () => r(true))), closed.then(() => false)]);
  if (!opened) return 0;
  stats.connections.ws++;
  if (auth) {
    ws.send(authFrame(1 + rng.int(1_000_000)));
    stats.kinds.auth = (stats.kinds.auth ?? 0) + 1;
    await Promise.race([sleep(50), closed]);
  }
  let sent = 0;
  for (let i = 0; i < frames.length && ws.readyState === WebSocket.OPEN; ) {
    const k = rng.chance(0.3) ? 1 + rng.int(4) : 1;
    const msg = Buffer.concat(frames.slice(i, i + k));
    if (rng.chance(0.02)) {
      ws.send(msg.toString('latin1'));
      stats.kinds['text-message'] = (stats.kinds['text-message'] ?? 0) + 1;
    } else ws.send(msg);
    i += k;
    sent = Math.min(i, frames.length);
  }
  stats.frames.ws += sent;
  await Promise.race([sleep(20 + rng.int(30)), closed]);
  ws.terminate();
  return sent;
}

/**
 * KCP over UDP: raw garbage datagrams, mutated KCP segments (header fields wrong, lengths lying),
 * or a real KCP session (a stock ikcp conv) carrying mutated frames.
 */
export async function fuzzKcpOnce(port: number, rng: Rng, stats: WireStats, n: number): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  socket.on('message', () => undefined);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const send = (b: Uint8Array) => new Promise<void>((r) => socket.send(b, port, '127.0.0.1', () => r()));
  const conv = 1 + rng.int(0x7ffffffe);
  stats.connections.kcp++;
  const mode = rng.int(3);
  try {
    if (mode === 0) {
      for (let i = 0; i < n; i++) await send(rng.bytes(rng.int(1500)));
      stats.kinds['raw-datagram'] = (stats.kinds['raw-datagram'] ?? 0) + n;
    } else if (mode === 1) {
      for (let i = 0; i < n; i++) await send(kcpSegment(rng, conv));
      stats.kinds['kcp-segment'] = (stats.kinds['kcp-segment'] ?? 0) + n;
    } else {
      const kcp = new Kcp(conv, (d) => socket.send(d, port, '127.0.0.1'));
      kcp.setNodelay(1, 10, 2, 1);
      socket.removeAllListeners('message');
      socket.on('message', (m) => kcp.input(m));
      const { auth, frames } = burst(rng, stats, n);
      if (auth) kcp.send(authFrame(1 + rng.int(1_000_000)));
      for (const f of frames) kcp.send(f);
      const now = () => Math.floor(performance.now()) >>> 0;
      for (let i = 0; i < 5; i++) {
        kcp.update(now());
        kcp.flush();
        await sleep(10);
      }
    }
    stats.frames.kcp += n;
    return n;
  } finally {
    socket.close();
  }
}

/** A 24-byte little-endian KCP header with some field wrong, and a payload that may not match its len. */
function kcpSegment(rng: Rng, conv: number): Buffer {
  const payload = rng.bytes(rng.int(rng.chance(0.9) ? 64 : 1400));
  const seg = Buffer.alloc(24 + payload.length);
  seg.writeUInt32LE(rng.chance(0.8) ? conv : rng.u32(), 0);
  seg[4] = rng.chance(0.7) ? rng.pick([80, 81, 82, 83, 84, 85, 86, 87]) : rng.int(256);
  seg[5] = rng.int(256);
  seg.writeUInt16LE(rng.int(0x10000), 6);
  seg.writeUInt32LE(rng.u32(), 8);
  seg.writeUInt32LE(rng.chance(0.5) ? rng.int(16) : rng.u32(), 12);
  seg.writeUInt32LE(rng.chance(0.5) ? 0 : rng.u32(), 16);
  seg.writeUInt32LE(rng.chance(0.6) ? payload.length : rng.pick([0, 1, payload.length + 1, 0xffffffff, rng.u32()]), 20);
  payload.copy(seg, 24);
  return seg;
}
