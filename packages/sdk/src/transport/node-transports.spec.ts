import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { ImgateClient } from '../node.js';
import { decode } from '../protocol/index.js';
import { MiniComet } from '../testing/mini-comet.js';

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
