import { createHash, randomBytes } from 'node:crypto';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { WebSocketLike } from './ws.transport.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/** A message larger than this ends the connection (1009), as a browser's memory would. */
const MAX_MESSAGE = 64 * 1024 * 1024;

type Handler = ((ev: never) => void) | null;

/**
 * A small RFC 6455 client for Node versions without a global WebSocket (before 22), so the SDK
 * needs no runtime dependency: binary and text messages, fragmentation, ping/pong and the
 * closing handshake; no extensions (comets turn compression off). The browser entry never
 * loads this file.
 */
export class NodeWebSocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  readyState = CONNECTING;
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;

  private socket: Socket | undefined;
  private readonly req: ClientRequest;
  private buffered: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentsLength = 0;
  private fragmentOpcode = 0;
  private closeSent = false;
  private closeReported = false;

  constructor(readonly url: string) {
    const u = new URL(url);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new SyntaxError(`not a WebSocket URL: ${url}`);
    const key = randomBytes(16).toString('base64');
    const request = u.protocol === 'wss:' ? httpsRequest : httpRequest;
    this.req = request({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port || (u.protocol === 'wss:' ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
    });
    this.req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      const expected = createHash('sha1').update(key + GUID).digest('base64');
      if (res.headers['sec-websocket-accept'] !== expected) {
        socket.destroy();
        return this.fail('the server answered the upgrade with a wrong Sec-WebSocket-Accept');
      }
      this.attach(socket, head);
    });
    this.req.on('response', (res: IncomingMessage) => {
      res.resume();
      this.fail(`the server answered HTTP ${res.statusCode} instead of upgrading`);
    });
    this.req.on('error', (err) => this.fail(err.message));
    this.req.end();
  }

  send(data: Uint8Array): void {
    if (this.readyState !== OPEN) throw new Error('WebSocket is not open');
    this.writeFrame(0x2, data);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSED || this.readyState === CLOSING) return;
    if (this.readyState === CONNECTING) {
      this.req.destroy();
      return this.report(1006, 'closed before the connection was established');
    }
    this.readyState = CLOSING;
    this.sendClose(code, reason);
    // A peer that never answers the closing handshake does not keep the socket.
    setTimeout(() => this.socket?.destroy(), 3_000).unref();
  }

  private attach(socket: Socket, head: Buffer): void {
    this.socket = socket;
    socket.setNoDelay(true);
    this.readyState = OPEN;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined); // 'close' follows and reports
    socket.on('close', () => this.report(1006, ''));
    this.call(this.onopen, { type: 'open' });
    if (head.length) this.receive(head);
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.readyState === OPEN || this.readyState === CLOSING) {
      const frame = this.nextFrame();
      if (!frame) return;
      this.handleFrame(frame.fin, frame.opcode, frame.payload);
    }
  }

  /** The next whole frame in the buffer, or null until more bytes arrive. */
  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | null {
    const b = this.buffered;
    if (b.length < 2) return null;
    let length = b[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return null;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    if (b[1] & 0x80) {
      this.protocolError(1002, 'the server masked a frame');
      return null;
    }
    if (length > MAX_MESSAGE) {
      this.protocolError(1009, 'message too big');
      return null;
    }
    if (b.length < offset + length) return null;
    const payload = b.subarray(offset, offset + length);
    this.buffered = b.subarray(offset + length);
    return { fin: (b[0] & 0x80) !== 0, opcode: b[0] & 0x0f, payload };
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
      case 0x1: // text
      case 0x2: {
        if (opcode !== 0 && this.fragments.length) return this.protocolError(1002, 'a new message inside a fragmented one');
        if (opcode === 0 && !this.fragments.length) return this.protocolError(1002, 'a continuation without a message');
        if (opcode !== 0) this.fragmentOpcode = opcode;
        this.fragments.push(payload);
        this.fragmentsLength += payload.length;
        if (this.fragmentsLength > MAX_MESSAGE) return this.protocolError(1009, 'message too big');
        if (!fin) return;
        const whole = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
        this.fragments = [];
        this.fragmentsLength = 0;
        const data = this.fragmentOpcode === 0x1 ? whole.toString('utf8') : whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length);
        return this.call(this.onmessage, { type: 'message', data });
      }
      case 0x8: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
        if (!this.closeSent) this.sendClose(code === 1005 ? 1000 : code, '');
        this.readyState = CLOSING;
        this.socket?.end();
        return this.report(code, reason);
      }
      case 0x9:
        return this.writeFrame(0xa, payload);
      case 0xa:
        return;
      default:
        return this.protocolError(1002, `unknown opcode ${opcode}`);
    }
  }

  private writeFrame(opcode: number, payload: Uint8Array): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    const len = payload.length;
    const headerLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerLen + 4 + len);
    frame[0] = 0x80 | opcode;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(len), 2);
    }
    // Clients mask every frame (RFC 6455 5.3) with a fresh key.
    const mask = randomBytes(4);
    mask.copy(frame, headerLen);
    const body = headerLen + 4;
    for (let i = 0; i < len; i++) frame[body + i] = payload[i] ^ mask[i & 3];
    socket.write(frame);
  }

  private sendClose(code: number, reason: string): void {
    if (this.closeSent) return;
    this.closeSent = true;
    const text = Buffer.from(reason, 'utf8').subarray(0, 123);
    const payload = Buffer.allocUnsafe(2 + text.length);
    payload.writeUInt16BE(code, 0);
    text.copy(payload, 2);
    this.writeFrame(0x8, payload);
  }

  private protocolError(code: number, reason: string): void {
    this.sendClose(code, reason);
    this.socket?.destroy();
    this.call(this.onerror, { type: 'error', message: reason });
    this.report(code, reason);
  }

  private fail(message: string): void {
    if (this.closeReported) return;
    this.call(this.onerror, { type: 'error', message });
    this.report(1006, message);
  }

  private report(code: number, reason: string): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.readyState = CLOSED;
    this.buffered = Buffer.alloc(0);
    this.call(this.onclose, { type: 'close', code, reason, wasClean: code !== 1006 });
  }

  private call(handler: Handler, event: object): void {
    (handler as ((ev: object) => void) | null)?.call(this, event);
  }
}
