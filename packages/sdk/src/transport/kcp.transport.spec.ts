import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { CMD_FIN, decodeControl, encodeKick, Kcp, readConv } from '@imgate/kcp';
import { encode, type Packet, StreamDecoder } from '@imgate/protocol';
import { ImgateClient } from '../node.js';
import { MiniComet } from '../testing/mini-comet.js';
import { kcpTransport } from './kcp.transport.js';

interface Session {
  kcp: Kcp;
  peer: RemoteInfo;
  comet?: MiniComet;
}

/**
 * The far end: a second KCP engine per conversation behind a local UDP socket. It echoes (or,
 * with `comet`, answers as a comet) and can drop a share of the datagrams it receives, so the
 * engine's retransmission is what gets the bytes through.
 */
class KcpPeer {
  readonly socket: Socket = createSocket('udp4');
  readonly sessions = new Map<number, Session>();
  readonly controls: number[] = [];
  dropEvery = 0;
  private seen = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly mode: 'echo' | 'comet') {
    this.socket.on('message', (msg, peer) => this.receive(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), peer));
    this.ticker = setInterval(() => {
      for (const s of this.sessions.values()) s.kcp.update(Date.now() >>> 0);
    }, 10);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }

  close(): void {
    clearInterval(this.ticker);
    this.socket.close();
  }

  kick(conv: number, reason: string): void {
    const s = this.sessions.get(conv)!;
    this.socket.send(encodeKick(conv, 3, reason), s.peer.port, s.peer.address);
  }

  private receive(datagram: Uint8Array, peer: RemoteInfo): void {
    const control = decodeControl(datagram);
    if (control) {
      this.controls.push(control.cmd);
      return;
    }
    if (this.dropEvery && ++this.seen % this.dropEvery === 0) return; // lost on the way
    const conv = readConv(datagram);
    if (conv === null) return;
    let s = this.sessions.get(conv);
    if (!s) {
      const kcp = new Kcp(conv, (out) => this.socket.send(out, peer.port, peer.address), { stream: true });
      kcp.setNodelay(1, 10, 2, 1);
      kcp.setWndSize(128, 128);
      kcp.update(Date.now() >>> 0);
      s = { kcp, peer };
      if (this.mode === 'comet') s.comet = new MiniComet((bytes) => s!.kcp.send(bytes));
      this.sessions.set(conv, s);
    }
    s.kcp.input(datagram);
    for (let m = s.kcp.recv(); m !== null; m = s.kcp.recv()) {
      if (s.comet) s.comet.onBytes(m);
      else s.kcp.send(m);
    }
    s.kcp.flush();
  }
}

function packetsOf(sizes: number[]): Uint8Array[] {
  return sizes.map((size, i) => encode({ op: 1000 + i, seq: i + 1, body: Uint8Array.from({ length: size }, (_, k) => (k * 7 + i) & 0xff) }));
}

/** Dials the peer with the transport and collects the packets echoed back. */
function dial(port: number, conv: number) {
  const decoder = new StreamDecoder({ maxPacketLen: 1 << 22 });
  const got: Packet[] = [];
  let closed: string | undefined;
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  const transport = kcpTransport({ conv: () => conv })(`127.0.0.1:${port}`, {
    open: () => opened(),
    data: (bytes) => got.push(...decoder.push(bytes.slice())),
    close: (reason) => (closed = reason),
  });
  return { transport, got, open, closed: () => closed };
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('KCP transport (dgram + the KCP engine) against a second engine over local UDP', () => {
  let echo: KcpPeer;
  let echoPort: number;
  before(async () => {
    echo = new KcpPeer('echo');
    echoPort = await echo.listen();
  });
  after(() => echo.close());

  it('carries packets both ways, including ones larger than the MTU, byte for byte', async () => {
    const c = dial(echoPort, 0x1001);
    await c.open;
    const sent = packetsOf([0, 10, 1_500, 40_000, 3]);
    for (const p of sent) c.transport.send(p);
    await until(() => c.got.length === sent.length, 5_000, 'the echoes');
    assert.deepEqual(c.got.map((p) => encode(p)), sent);
    c.transport.close();
  });

  it('gets everything through when a fifth of the datagrams are lost', async () => {
    echo.dropEvery = 5;
    try {
      const c = dial(echoPort, 0x1002);
      await c.open;
      const sent = packetsOf(Array.from({ length: 40 }, (_, i) => 100 + i * 97));
      for (const p of sent) c.transport.send(p);
      await until(() => c.got.length === sent.length, 10_000, 'all echoes despite loss');
      assert.deepEqual(c.got.map((p) => encode(p)), sent);
      c.transport.close();
    } finally {
      echo.dropEvery = 0;
    }
  });

  it('sends FIN when closed, and ends when the server kicks the session', async () => {
    const a = dial(echoPort, 0x1003);
    await a.open;
    a.transport.send(packetsOf([1])[0]);
    await until(() => a.got.length === 1, 5_000, 'an echo');
    const fins = echo.controls.filter((c) => c === CMD_FIN).length;
    a.transport.close();
    await until(() => echo.controls.filter((c) => c === CMD_FIN).length === fins + 1, 2_000, 'the FIN');
    assert.equal(a.closed(), undefined, 'no close report after a local close()');

    const b = dial(echoPort, 0x1004);
    await b.open;
    b.transport.send(packetsOf([1])[0]);
    await until(() => b.got.length === 1, 5_000, 'an echo');
    echo.kick(0x1004, 'maintenance');
    await until(() => b.closed() !== undefined, 2_000, 'the kick');
    assert.match(b.closed()!, /kicked by the server \(3: maintenance\)/);
  });

  it('runs an ImgateClient: auth, a reply by seq, a push', async () => {
    const comet = new KcpPeer('comet');
    const port = await comet.listen();
    const client = new ImgateClient({ nodes: [`kcp://127.0.0.1:${port}`], mid: 9, room: 'live://k', watchNetwork: false });
    try {
      const info = await client.connect();
      assert.deepEqual([info.transport, info.node, info.key, info.room], ['kcp', `kcp://127.0.0.1:${port}`, 'mini-key', 'live://k']);
      assert.equal(typeof (await client.send('over kcp')).seq, 'number');
      const pushed = new Promise<string>((r) => client.once('message', (m) => r(m.text())));
      [...comet.sessions.values()][0].comet!.push(1000, 'hello over kcp');
      assert.equal(await pushed, 'hello over kcp');
    } finally {
      client.close();
      comet.close();
    }
  });
});
