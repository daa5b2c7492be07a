import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import {
  decodeBatch,
  decodeStreamMessage,
  encode,
  encodeAck,
  encodeSendWithId,
  encodeSync,
  Op,
  type Packet,
  parseSyncReply,
  StreamDecoder,
  type StreamMessage,
  type SyncPosition,
  type SyncReply,
} from '@imgate/protocol';
import { WebSocket } from 'ws';
import { createSocket } from 'node:dgram';
import { CMD_FIN, CMD_KICK, CMD_RECONNECT, decodeControl, encodeFin, encodeNew, Kcp } from '@imgate/kcp';

export interface ProtoClientOptions {
  checksum?: boolean;
  /** Connect from this local address (e.g. 127.0.0.5: a distinct client IP on loopback). */
  localAddress?: string;
  /** WebSocket only: extra headers on the upgrade request (X-Forwarded-For, Forwarded). */
  headers?: Record<string, string>;
  /** TLS (tls() and wss:// URLs): the CA to trust (PEM), instead of the system's. */
  ca?: string | Buffer;
}

/** The op-8 reply; `delivery` only for a client that opted in (`"delivery": true` in op 7). */
export interface AuthReply {
  mid: number;
  key: string;
  room_id: string;
  heartbeat: number;
  delivery?: { device: string; streams: Record<string, { epoch: number; head: string }> };
  /** KCP with an imgate conv: the migration secret (docs/protocol.md, KCP). */
  kcp_secret?: string;
  /** Session resume (docs/protocol.md): the token for the next auth, its window, and whether this auth resumed one. */
  resume?: string;
  resume_ttl?: number;
  resumed?: boolean;
}

type Waiter = { match: (p: Packet) => boolean; resolve: (p: Packet) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/**
 * A test client speaking the wire protocol over TCP or WebSocket, as a real client would: it
 * records every packet it receives and lets a test wait for the next one that matches.
 */
export class ProtoClient {
  readonly received: Packet[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;
  private waiters: Waiter[] = [];
  private seq = 0;
  private onClosed!: () => void;

  /** Stops reading from the socket (TCP only), to play a client that no longer keeps up. */
  pause: () => void = () => undefined;
  resume: () => void = () => undefined;

  private constructor(
    private readonly sink: { write(b: Uint8Array): void; end(): void },
    readonly checksum: boolean,
  ) {
    this.closedPromise = new Promise((r) => (this.onClosed = r));
  }

  static tcp(port: number, opts: ProtoClientOptions = {}, host = '127.0.0.1'): Promise<ProtoClient> {
    return ProtoClient.stream(connect({ port, host, noDelay: true, localAddress: opts.localAddress }), 'connect', opts);
  }

  /** TCP inside TLS (the comet's COMET_TLS_PORT): the same byte stream once the handshake is done. */
  static tls(port: number, opts: ProtoClientOptions = {}, host = '127.0.0.1'): Promise<ProtoClient & { socket: TLSSocket }> {
    const socket = tlsConnect({ port, host, ca: opts.ca });
    return ProtoClient.stream(socket, 'secureConnect', opts).then((c) => Object.assign(c, { socket }));
  }

  private static stream(socket: Socket, ready: 'connect' | 'secureConnect', opts: ProtoClientOptions): Promise<ProtoClient> {
    return new Promise((resolve, reject) => {
      const client = new ProtoClient({ write: (b) => socket.write(b), end: () => socket.destroy() }, opts.checksum ?? false);
      const decoder = new StreamDecoder();
      socket.on('data', (chunk) => decoder.push(Uint8Array.from(chunk)).forEach((p) => client.deliver(p)));
      socket.on('error', () => undefined);
      socket.on('close', () => client.markClosed());
      client.pause = () => socket.pause();
      client.resume = () => socket.resume();
      socket.once(ready, () => resolve(client));
      socket.once('error', reject);
    });
  }

  /**
   * Over KCP (UDP): the packet stream rides KCP messages. `conv` below 0x80000000 plays a stock
   * ikcp client; from 0x80000000 up, an imgate peer (which may receive FIN/KICK/RECONNECT).
   */
  static kcp(
    port: number,
    opts: ProtoClientOptions & { conv?: number; bindAddress?: string; stamp?: { ip: string; port: number } } = {},
    host = '127.0.0.1',
  ): Promise<ProtoClient> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      const conv = opts.conv ?? 0x1000 + Math.floor(Math.random() * 0x10000000);
      // As a relay would: every datagram leads with NEW carrying the real client address.
      const kcp = new Kcp(conv, (d) => socket.send(opts.stamp ? encodeNew({ conv, ...opts.stamp, rest: d }) : d, port, host));
      kcp.setNodelay(1, 10, 2, 1);
      kcp.setWndSize(256, 256);
      const now = () => Math.floor(performance.now()) >>> 0;
      kcp.update(now());
      const decoder = new StreamDecoder();
      const timer = setInterval(() => kcp.update(now()), 10);
      const stop = () => {
        clearInterval(timer);
        socket.close();
        client.markClosed();
      };
      const client = new ProtoClient(
        {
          write: (b) => {
            kcp.send(b);
            kcp.flush();
          },
          end: () => {
            // Close only once the FIN has left: a pending send dies with its socket.
            if (conv >= 0x80000000) socket.send(encodeFin(conv), port, host, () => stop());
            else stop();
          },
        },
        opts.checksum ?? false,
      );
      client.controls = [];
      socket.on('message', (msg) => {
        const control = decodeControl(msg);
        if (control) {
          client.controls.push(control.cmd);
          if (control.cmd === CMD_FIN || control.cmd === CMD_KICK || control.cmd === CMD_RECONNECT) stop();
          return;
        }
        if (kcp.input(msg) < 0) return;
        for (let m = kcp.recv(); m; m = kcp.recv()) decoder.push(Uint8Array.from(m)).forEach((p) => client.deliver(p));
        kcp.flush();
      });
      socket.once('error', reject);
      socket.bind(0, opts.bindAddress ?? '127.0.0.1', () => resolve(client));
    });
  }

  /** KCP extension commands this client received (FIN, KICK, RECONNECT). */
  controls: number[] = [];

  static ws(url: string, opts: ProtoClientOptions = {}): Promise<ProtoClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { localAddress: opts.localAddress, headers: opts.headers, ca: opts.ca });
      ws.binaryType = 'nodebuffer';
      const client = new ProtoClient({ write: (b) => ws.send(b), end: () => ws.terminate() }, opts.checksum ?? false);
      // A message may hold several packets back to back (a batch, as goim sends it).
      ws.on('message', (data: Buffer) => decodeBatch(Uint8Array.from(data)).forEach((p) => client.deliver(p)));
      ws.on('error', () => undefined);
      ws.on('close', () => client.markClosed());
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Called for every packet as it arrives (benchmarks time receipt here). */
  onPacket?: (p: Packet) => void;

  private deliver(p: Packet): void {
    this.onPacket?.(p);
    this.received.push(p);
    const i = this.waiters.findIndex((w) => w.match(p));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      clearTimeout(w.timer);
      w.resolve(p);
    }
  }

  private markClosed(): void {
    this.closed = true;
    this.onClosed();
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error(`connection closed; received ops [${this.received.map((p) => p.op).join(',')}]`));
    }
  }

  send(op: number, body: Uint8Array | string = new Uint8Array(0), seq = ++this.seq): number {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.sink.write(encode({ op, seq, body: bytes, checksum: this.checksum }));
    return seq;
  }

  writeRaw(bytes: Uint8Array): void {
    this.sink.write(bytes);
  }

  /** The next packet (already received or yet to come, not consumed before) that matches. */
  next(match: (p: Packet) => boolean, timeoutMs = 5_000, from = 0): Promise<Packet> {
    const seen = this.received.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    if (this.closed) return Promise.reject(new Error('connection already closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no matching packet within ${timeoutMs} ms; received ops [${this.received.map((p) => p.op).join(',')}]`));
      }, timeoutMs);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }

  op(op: number, timeoutMs?: number): Promise<Packet> {
    return this.next((p) => p.op === op, timeoutMs);
  }

  /** Sends op 7 and waits for op 8 (or rejects with the disconnect reason). */
  async auth(body: object): Promise<AuthReply> {
    this.send(Op.Auth, JSON.stringify(body));
    // Generous: auth crosses logic and Redis, and a loaded 2-core machine can be slow to answer.
    const reply = await this.next((p) => p.op === Op.AuthReply || p.op === Op.DisconnectReply, 15_000);
    const json = JSON.parse(new TextDecoder().decode(reply.body));
    if (reply.op !== Op.AuthReply) throw new Error(`auth refused: ${json.code}: ${json.reason}`);
    return json;
  }

  // ---- reliable delivery (docs/delivery.md) ---------------------------------------------------

  /** Every op-27 message received so far (from packet index `from`), decoded. */
  messages(from = 0): StreamMessage[] {
    return this.received.slice(from).filter((p) => p.op === Op.Message).map(streamMessageOf);
  }

  /** The next op-27 message (already received or yet to come) that matches. */
  async nextMessage(match: (m: StreamMessage) => boolean = () => true, timeoutMs?: number, from = 0): Promise<StreamMessage> {
    return streamMessageOf(await this.next((p) => p.op === Op.Message && match(streamMessageOf(p)), timeoutMs, from));
  }

  /** Sends op 18 (stream → highest offset held); with a seq other than 0, waits for op 19. */
  async ack(positions: Record<string, bigint | number | string>, seq = ++this.seq): Promise<void> {
    const map = new Map(Object.entries(positions).map(([stream, offset]) => [stream, BigInt(offset)]));
    const from = this.received.length;
    this.send(Op.Ack, encodeAck(map), seq);
    if (seq !== 0) await this.answer(seq, Op.AckReply, from);
  }

  /**
   * Sends op 28 and waits for op 29: the op-27 messages that came before it (the reply's, and any
   * live push in between) and the per-stream statuses. Rejects on op 22 with the error's code.
   */
  async sync(streams: SyncPosition[], limit?: number): Promise<{ messages: StreamMessage[]; reply: SyncReply }> {
    const from = this.received.length;
    const seq = this.send(Op.Sync, encodeSync({ streams, limit }));
    const done = await this.answer(seq, Op.SyncReply, from);
    const upTo = this.received.indexOf(done);
    return { messages: this.received.slice(from, upTo).filter((p) => p.op === Op.Message).map(streamMessageOf), reply: parseSyncReply(done.body) };
  }

  /** Sends op 30 (an upstream message with the client's id; operation 4 or a business op) and waits for op 5. */
  async sendWithId(id: string, operation: number, payload: Uint8Array | string = new Uint8Array(0)): Promise<Packet> {
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    const from = this.received.length;
    const seq = this.send(Op.SendWithId, encodeSendWithId({ id, operation, payload: bytes }));
    return this.answer(seq, Op.SendMsgReply, from);
  }

  /** The reply with this seq, or an error for op 22 with it. */
  private async answer(seq: number, op: number, from: number): Promise<Packet> {
    const p = await this.next((q) => q.seq === seq && (q.op === op || q.op === Op.Error), undefined, from);
    if (p.op === Op.Error) {
      const e = bodyJson<{ code: string; reason: string }>(p);
      throw Object.assign(new Error(`op 22 ${e.code}: ${e.reason}`), { code: e.code });
    }
    return p;
  }

  close(): void {
    this.sink.end();
  }

  wait(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}

/** An op-27 packet's message (stream, epoch, offset, id, operation, payload). */
export function streamMessageOf(p: Packet): StreamMessage {
  if (p.op !== Op.Message) throw new Error(`op ${p.op} is not a stream message (27)`);
  return decodeStreamMessage(p.body);
}

export function bodyText(p: Packet): string {
  return new TextDecoder().decode(p.body);
}

export function bodyJson<T = Record<string, unknown>>(p: Packet): T {
  return JSON.parse(bodyText(p)) as T;
}
