// A load-client process (forked by the bench, never the server's process): opens many WebSocket
// connections over raw TCP and, once each is authenticated, only counts what arrives. The
// counting path parses WebSocket frame headers and skips payloads, so the client's CPU goes to
// reading sockets, not decoding. Every `sampleEvery`-th connection decodes everything instead and
// checks each message (every sequence number once: no gap, no repeat; payload shape) and its latency.
//
// Commands from the parent (IPC): connect, snap, samples, close. Reports: progress, connected,
// tick (counts, ~20 per second while messages flow), snap, samples.
import { connect, type Socket } from 'node:net';
import { hrUs, wallMs } from './lib/stats';
import { benchPacketLen, clientFrame, eachPacket, OP_AUTH, OP_AUTH_REPLY, OP_BENCH, OP_DISCONNECT, OP_HEARTBEAT, OP_MESSAGE, packet, parseBody, sioFrameLength, streamPayload } from './lib/wire';

export type ClientKind = 'imgate' | 'bare' | 'sio';

export interface ConnectCmd {
  type: 'connect';
  kind: ClientKind;
  host: string;
  port: number;
  path: string;
  count: number;
  firstMid: number;
  room: string;
  localAddress?: string;
  concurrency: number;
  sampleEvery: number;
  heartbeatMs: number;
  bodySize: number;
  timeoutMs: number;
  /** Opt in to reliable delivery (`"delivery": true` in op 7): room messages then come as op 27 in the room's stream. */
  delivery?: boolean;
}

const EMPTY = Buffer.alloc(0);
const PONG = clientFrame(1, Buffer.from('3'));
const SIO_CONNECT = clientFrame(1, Buffer.from('40'));

const stats = { msgs: 0, frames: 0, bytes: 0, other: 0, closed: 0, connected: 0, failed: 0 };
const sample = { messages: 0, bad: 0, latencies: [] as number[], record: false };
let cmd: ConnectCmd;
let packetLen = 0;
let sioLen = 0;
let firstError = '';
const conns: Conn[] = [];

class Conn {
  socket!: Socket;
  state: 'http' | 'auth' | 'open' | 'closed' = 'http';
  fast = false;
  buf: Buffer = EMPTY;
  skip = 0;
  readonly head = Buffer.allocUnsafe(14);
  headLen = 0;
  cap: number[] | null = null;
  /** Sampled connections: which sequence numbers arrived (a bitmap), to find gaps and repeats. */
  seen?: Uint8Array;
  minSeq = Infinity;
  maxSeq = -1;
  distinct = 0;
  dups = 0;
  /** Arrivals below an already-seen number: only meaningful where the sender kept order. */
  reordered = 0;
  done?: () => void;
  constructor(
    readonly sampled: boolean,
    readonly mid: number,
  ) {}
}

function headerLen(b1: number): number {
  const n = b1 & 0x7f;
  return n < 126 ? 2 : n === 126 ? 4 : 10;
}

function payloadLen(buf: Buffer, off: number): number {
  const n = buf[off + 1] & 0x7f;
  return n < 126 ? n : n === 126 ? buf.readUInt16BE(off + 2) : Number(buf.readBigUInt64BE(off + 2));
}

/** Counts a frame by its header alone: a binary frame of whole bench packets, or a Socket.IO message. */
function count(op: number, len: number): boolean {
  stats.frames++;
  stats.bytes += len;
  if (op === 2 && len > 0 && len % packetLen === 0) {
    stats.msgs += len / packetLen;
    return true;
  }
  if (op === 1 && len === sioLen) {
    stats.msgs++;
    return true;
  }
  stats.other++;
  return false;
}

function captured(c: Conn): void {
  const text = String.fromCharCode(...(c.cap ?? []));
  c.cap = null;
  if (text === '2') c.socket.write(PONG); // engine.io ping
}

/** The counting path: frame headers only, across chunk boundaries. */
function fastData(c: Conn, chunk: Buffer): void {
  const n = chunk.length;
  let i = 0;
  while (i < n) {
    if (c.skip > 0) {
      const k = Math.min(c.skip, n - i);
      if (c.cap) for (let j = 0; j < k; j++) c.cap.push(chunk[i + j]);
      c.skip -= k;
      i += k;
      if (c.skip === 0 && c.cap) captured(c);
      continue;
    }
    if (c.headLen === 0 && n - i >= 2) {
      const hl = headerLen(chunk[i + 1]);
      if (n - i >= hl) {
        const len = payloadLen(chunk, i);
        const op = chunk[i] & 0x0f;
        i += hl;
        frame(c, op, len);
        continue;
      }
    }
    c.head[c.headLen++] = chunk[i++];
    if (c.headLen >= 2 && c.headLen === headerLen(c.head[1])) {
      c.headLen = 0;
      frame(c, c.head[0] & 0x0f, payloadLen(c.head, 0));
    }
  }
}

function frame(c: Conn, op: number, len: number): void {
  if (!count(op, len) && op === 1 && len <= 8) c.cap = [];
  c.skip = len;
  if (len === 0 && c.cap) captured(c);
}

function verify(c: Conn, text: string): void {
  const p = parseBody(text);
  if (!p || text.length !== cmd.bodySize || p.seq < 0 || p.seq > 50_000_000) {
    sample.bad++;
    return;
  }
  if (!c.seen || c.seen.length <= p.seq >> 3) {
    const grown = new Uint8Array(Math.max(1024, (p.seq >> 3) * 2));
    if (c.seen) grown.set(c.seen);
    c.seen = grown;
  }
  const bit = 1 << (p.seq & 7);
  if (c.seen[p.seq >> 3] & bit) c.dups++;
  else {
    c.seen[p.seq >> 3] |= bit;
    c.distinct++;
  }
  if (p.seq < c.maxSeq) c.reordered++;
  c.minSeq = Math.min(c.minSeq, p.seq);
  c.maxSeq = Math.max(c.maxSeq, p.seq);
  sample.messages++;
  if (sample.record) sample.latencies.push(wallMs() - p.sentAt);
}

/** Over the sampled connections: numbers missing between the first and last seen, repeats, reorderings. */
function checks(): { gaps: number; dups: number; reordered: number } {
  let gaps = 0;
  let dups = 0;
  let reordered = 0;
  for (const c of conns) {
    if (!c.sampled || c.maxSeq < 0) continue;
    gaps += c.maxSeq - c.minSeq + 1 - c.distinct;
    dups += c.dups;
    reordered += c.reordered;
  }
  return { gaps, dups, reordered };
}

function fail(c: Conn, why: string): void {
  if (c.state === 'closed') return;
  if (!firstError) firstError = why;
  c.state = 'closed';
  stats.failed++;
  c.socket.destroy();
  c.done?.();
}

function opened(c: Conn): void {
  c.state = 'open';
  stats.connected++;
  c.fast = !c.sampled;
  c.done?.();
}

/** The decoding path: handshake and auth for every connection, everything for sampled ones. */
function slowFrame(c: Conn, op: number, payload: Buffer): void {
  if (op === 8) {
    if (c.state !== 'open') return fail(c, `server closed: ${payload.subarray(2).toString()}`);
    c.socket.destroy(); // counted as closed by the socket's close handler
    return;
  }
  if (c.state === 'auth') {
    if (cmd.kind === 'sio') {
      const text = payload.toString();
      if (text.startsWith('0')) c.socket.write(SIO_CONNECT);
      else if (text.startsWith('40')) opened(c);
      else if (text.startsWith('44')) fail(c, `socket.io refused: ${text}`);
      return;
    }
    eachPacket(payload, (pop, body) => {
      if (pop === OP_AUTH_REPLY) opened(c);
      else if (pop === OP_DISCONNECT) fail(c, `auth refused: ${body.toString()}`);
    });
    return;
  }
  count(op, payload.length);
  if (cmd.kind === 'sio') {
    const text = payload.toString();
    if (text === '2') c.socket.write(PONG);
    else if (text.startsWith('42[')) {
      const arr = JSON.parse(text.slice(2)) as unknown[];
      verify(c, String(arr[1]));
    }
    return;
  }
  eachPacket(payload, (pop, body) => {
    if (pop === OP_BENCH) verify(c, body.toString('latin1'));
    else if (pop === OP_MESSAGE) {
      const m = streamPayload(body);
      if (m?.operation === OP_BENCH) verify(c, m.payload.toString('latin1'));
      else sample.bad++;
    }
  });
}

function slowData(c: Conn, chunk: Buffer): void {
  c.buf = c.buf.length ? Buffer.concat([c.buf, chunk]) : chunk;
  if (c.state === 'http') {
    const end = c.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (c.buf.length > 16_384) fail(c, 'oversized upgrade response');
      return;
    }
    const head = c.buf.subarray(0, end).toString('latin1');
    if (!head.startsWith('HTTP/1.1 101')) return fail(c, `upgrade refused: ${head.split('\r\n')[0]}`);
    c.buf = c.buf.subarray(end + 4);
    c.state = 'auth';
    if (cmd.kind !== 'sio') {
      const auth = JSON.stringify({ mid: c.mid, room_id: cmd.room, platform: 'bench', accepts: [OP_BENCH], ...(cmd.delivery ? { delivery: true } : {}) });
      c.socket.write(clientFrame(2, packet(OP_AUTH, Buffer.from(auth))));
    }
  }
  let off = 0;
  const buf = c.buf;
  while (buf.length - off >= 2) {
    const hl = headerLen(buf[off + 1]);
    if (buf.length - off < hl) break;
    const len = payloadLen(buf, off);
    if (buf.length - off < hl + len) break;
    const op = buf[off] & 0x0f;
    const payload = buf.subarray(off + hl, off + hl + len);
    off += hl + len;
    slowFrame(c, op, payload);
    if (c.state === 'closed') return;
    if (c.fast) {
      c.buf = EMPTY;
      if (off < buf.length) fastData(c, buf.subarray(off));
      return;
    }
  }
  c.buf = off === 0 ? buf : Buffer.from(buf.subarray(off));
}

function open(i: number): Promise<void> {
  const c = new Conn(i % cmd.sampleEvery === 0, cmd.firstMid + i);
  conns.push(c);
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(c, `no auth reply within ${cmd.timeoutMs} ms`), cmd.timeoutMs);
    c.done = () => {
      clearTimeout(timer);
      c.done = undefined;
      resolve();
    };
    const socket = connect({ host: cmd.host, port: cmd.port, localAddress: cmd.localAddress, noDelay: true });
    c.socket = socket;
    socket.on('connect', () =>
      socket.write(
        `GET ${cmd.path} HTTP/1.1\r\nHost: ${cmd.host}:${cmd.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: YmVuY2gtaW1nYXRlLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    socket.on('data', (chunk: Buffer) => (c.fast ? fastData(c, chunk) : slowData(c, chunk)));
    socket.on('error', (err) => {
      if (c.state !== 'open') fail(c, err.message);
    });
    socket.on('close', () => {
      if (c.state === 'open') stats.closed++;
      else fail(c, 'closed before auth');
      c.state = 'closed';
    });
  });
}

async function connectAll(): Promise<void> {
  // An opted-in client's room messages are op 27 in the room's stream (`r:<room>`), one length too.
  packetLen = benchPacketLen(cmd.bodySize, cmd.delivery ? `r:${cmd.room}` : undefined);
  sioLen = sioFrameLength(cmd.bodySize);
  const started = performance.now();
  const progress = setInterval(() => process.send?.({ type: 'progress', connected: stats.connected, failed: stats.failed }), 500);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(cmd.concurrency, cmd.count) }, async () => {
      while (next < cmd.count) await open(next++);
    }),
  );
  clearInterval(progress);
  process.send?.({ type: 'connected', connected: stats.connected, failed: stats.failed, error: firstError, ms: performance.now() - started });
  if (cmd.kind !== 'sio') startHeartbeats();
}

/** goim clients heartbeat; spread over the interval so no second gets them all. */
function startHeartbeats(): void {
  const slices = Math.max(1, Math.round(cmd.heartbeatMs / 1_000));
  const hb = clientFrame(2, packet(OP_HEARTBEAT, EMPTY));
  let tick = 0;
  setInterval(() => {
    for (let i = tick % slices; i < conns.length; i += slices) if (conns[i].state === 'open') conns[i].socket.write(hb);
    tick++;
  }, 1_000).unref();
}

let lastMsgs = -1;
let idleTicks = 0;
setInterval(() => {
  if (stats.msgs === lastMsgs && ++idleTicks < 20) return;
  idleTicks = 0;
  lastMsgs = stats.msgs;
  process.send?.({ type: 'tick', msgs: stats.msgs, closed: stats.closed });
}, 50);

process.on('message', (m: { type: string; id?: number; record?: boolean }) => {
  switch (m.type) {
    case 'connect':
      cmd = m as unknown as ConnectCmd;
      void connectAll();
      return;
    case 'snap':
      process.send?.({ type: 'snap', id: m.id, ...stats, t: hrUs() });
      return;
    case 'samples':
      process.send?.({ type: 'samples', id: m.id, messages: sample.messages, bad: sample.bad, ...checks(), latencies: sample.latencies });
      sample.latencies = [];
      sample.record = m.record === true;
      return;
    case 'close':
      for (const c of conns) c.socket?.destroy();
      setTimeout(() => process.exit(0), 50);
      return;
  }
});
process.on('disconnect', () => process.exit(0));
