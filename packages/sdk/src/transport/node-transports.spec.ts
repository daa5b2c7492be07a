import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket as WsClient, WebSocketServer } from 'ws';
import { decode } from '@imgate/protocol';
import { ImgateError } from '../errors.js';
import { ImgateClient } from '../node.js';
import { MiniComet } from '../testing/mini-comet.js';
import type { Transport } from './transport.js';
import { globalWebSocket, type WebSocketConstructor, webSocketTransport } from './ws.transport.js';
import { wsPackage } from './ws-package.js';

/** The SDK client over real local sockets, each transport against a comet stand-in. */
describe('ImgateClient over TCP and WebSocket (Node entry)', () => {
  let tcp: Server;
  let tcpPort: number;
  let wsPort: number;
  let wss: WebSocketServer;
  const tcpComets: MiniComet[] = [];
  const wsComets: MiniComet[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    tcp = createServer((socket) => {
      sockets.push(socket);
      const comet = new MiniComet((bytes) => socket.write(bytes));
      tcpComets.push(comet);
      socket.on('data', (chunk) => comet.onBytes(Uint8Array.from(chunk)));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    tcpPort = (tcp.address() as AddressInfo).port;
    const http = createHttpServer();
    wss = new WebSocketServer({ server: http, path: '/sub' });
    wss.on('connection', (ws) => {
      const comet = new MiniComet((bytes) => ws.send(bytes, { binary: true }));
      wsComets.push(comet);
      ws.on('message', (data: Buffer) => comet.handle(decode(Uint8Array.from(data))));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    wsPort = (http.address() as AddressInfo).port;
  });
  after(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => tcp.close(r));
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
    wss.options.server?.close();
  });

  for (const kind of ['tcp', 'ws'] as const) {
    it(`${kind}: connects, gets a reply by seq and a push, in both checksum modes`, async () => {
      for (const checksum of [false, true]) {
        const node = kind === 'tcp' ? `tcp://127.0.0.1:${tcpPort}` : `ws://127.0.0.1:${wsPort}/sub`;
        const client = new ImgateClient({ nodes: [node], mid: 3, room: 'live://t', checksum, watchNetwork: false });
        try {
          const info = await client.connect();
          assert.equal(info.node, node);
          assert.equal(info.transport, kind);
          const comet = (kind === 'tcp' ? tcpComets : wsComets).at(-1)!;
          assert.equal(comet.received[0].checksum, checksum);
          assert.equal(await client.changeRoom('live://u'), 'live://u');
          assert.ok((await client.send('up')).seq > 0);
          const pushed = new Promise<string>((r) => client.once('message', (m) => r(m.text())));
          comet.push(1000, `pushed over ${kind}`);
          assert.equal(await pushed, `pushed over ${kind}`);
        } finally {
          client.close();
        }
      }
    });
  }

  it('reconnects over TCP after the server drops the connection', async () => {
    const client = new ImgateClient({ nodes: [`tcp://127.0.0.1:${tcpPort}`], mid: 4, watchNetwork: false, backoff: { baseMs: 50 } });
    try {
      const first = await client.connect();
      const again = new Promise<string>((r) => client.once('connected', (c) => r(c.key)));
      sockets.at(-1)!.destroy();
      assert.equal(await again, first.key);
      assert.equal(client.state, 'open');
    } finally {
      client.close();
    }
  });
});

/** The WebSocket transport over each client Node can use (ws; the global one on Node 22+) against the ws server. */
describe('webSocketTransport in Node against the ws server', () => {
  let http: ReturnType<typeof createHttpServer>;
  let wss: WebSocketServer;
  let url: string;
  const connections: WsClient[] = [];

  before(async () => {
    http = createHttpServer((_req, res) => res.writeHead(426).end('upgrade required'));
    wss = new WebSocketServer({ server: http, path: '/sub', perMessageDeflate: false });
    wss.on('connection', (ws) => {
      connections.push(ws);
      ws.on('message', (data, isBinary) => {
        if (isBinary) ws.send(data, { binary: true });
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/sub`;
  });
  after(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
    await new Promise((r) => http.close(r));
  });

  const until = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(cond(), what);
  };

  /** Dials url with impl, recording what the transport reports. */
  function dial(impl: WebSocketConstructor, target = url) {
    const data: Uint8Array[] = [];
    const closes: string[] = [];
    let opened = false;
    const transport: Transport = webSocketTransport(impl)(target, {
      open: () => (opened = true),
      data: (bytes) => data.push(Uint8Array.from(bytes)),
      close: (reason) => closes.push(reason),
    });
    return { transport, data, closes, isOpen: () => opened };
  }

  /** Dials and waits until both ends are open; the server's end records the close it gets. */
  async function open(impl: WebSocketConstructor) {
    const count = connections.length;
    const link = dial(impl);
    await until(() => link.isOpen() && connections.length > count, 'open');
    const server = connections[count];
    const serverClosed = new Promise<{ code: number; reason: string }>((r) => server.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    return { ...link, server, serverClosed };
  }

  const impls: Array<[string, WebSocketConstructor]> = [['the ws package', wsPackage()]];
  const builtIn = globalWebSocket();
  if (builtIn) impls.push(['the global WebSocket', builtIn]);

  for (const [name, impl] of impls) {
    it(`${name}: binary messages of every length encoding (7-bit, 16-bit, 64-bit) arrive whole, and close() sends 1000`, async () => {
      const c = await open(impl);
      const sizes = [0, 125, 126, 65_535, 65_536, 200_000];
      const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
      for (const n of sizes) c.transport.send(bytes(n));
      await until(() => c.data.length === sizes.length, `${c.data.length} of ${sizes.length} messages`);
      assert.deepEqual(c.data, sizes.map(bytes));
      c.transport.close();
      assert.equal((await c.serverClosed).code, 1000);
      assert.deepEqual(c.closes, [], 'nothing is reported after a local close');
    });

    // 1003 where the client may send it; the WHATWG API refuses it, and 1000 goes instead.
    const unsupported = impl === builtIn ? 1000 : 1003;
    it(`${name}: a text message ends the link, and the server gets ${unsupported}`, async () => {
      const c = await open(impl);
      c.server.send('some text');
      assert.deepEqual(await c.serverClosed, { code: unsupported, reason: 'binary messages only' });
      await until(() => c.closes.length > 0, 'close reported');
      assert.deepEqual(c.closes, ['websocket: a text message from the server']);
    });

    it(`${name}: reports the server's close code and reason, once`, async () => {
      const c = await open(impl);
      c.server.close(4000, 'draining');
      await until(() => c.closes.length > 0, 'close reported');
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(c.closes, ['websocket closed (4000: draining)']);
    });

    it(`${name}: a dial the server does not upgrade, or that nothing answers, is reported closed once and never open`, async () => {
      for (const target of [url.replace('/sub', '/'), 'ws://127.0.0.1:1/sub']) {
        const c = dial(impl, target);
        await until(() => c.closes.length > 0, target);
        await new Promise((r) => setTimeout(r, 20));
        assert.equal(c.closes.length, 1, `${target}: ${c.closes.join(' | ')}`);
        assert.match(c.closes[0], /^websocket/);
        assert.equal(c.isOpen(), false);
      }
    });

    it(`${name}: close() while still connecting reports nothing`, async () => {
      const c = dial(impl);
      c.transport.close();
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(c.closes, []);
      assert.equal(c.isOpen(), false);
    });
  }

  it('wsPackage() is the ws client, and names the fix when ws is not installed', () => {
    assert.equal(wsPackage(), WsClient);
    const missing = Object.assign(new Error("Cannot find module 'ws'"), { code: 'MODULE_NOT_FOUND' });
    assert.throws(
      () =>
        wsPackage(() => {
          throw missing;
        }),
      (err: unknown) => err instanceof ImgateError && err.code === 'no_websocket' && /ws package is not installed: npm install ws/.test(err.message),
    );
  });
});
