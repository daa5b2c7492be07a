import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import { NodeWebSocket } from './node-websocket.js';

interface Opened {
  ws: NodeWebSocket;
  server: ServerSocket;
  messages: unknown[];
  closed: Promise<{ code: number; reason: string }>;
}

describe('NodeWebSocket (the SDK’s own client for Node without a global WebSocket) against the ws server', () => {
  let http: Server;
  let wss: WebSocketServer;
  let url: string;
  const connections: ServerSocket[] = [];

  before(async () => {
    http = createServer((_req, res) => res.writeHead(426).end('upgrade required'));
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

  async function open(): Promise<Opened> {
    const ws = new NodeWebSocket(url);
    const messages: unknown[] = [];
    ws.onmessage = (ev: { data: unknown }) => messages.push(ev.data);
    const closed = new Promise<{ code: number; reason: string }>((r) => (ws.onclose = (ev: { code: number; reason: string }) => r(ev)));
    const count = connections.length;
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = (ev: { message: string }) => reject(new Error(ev.message));
    });
    while (connections.length === count) await new Promise((r) => setTimeout(r, 5));
    return { ws, server: connections.at(-1)!, messages, closed };
  }

  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(cond());
  };

  it('echoes binary messages of every length encoding (7-bit, 16-bit, 64-bit) as ArrayBuffers', async () => {
    const c = await open();
    const sizes = [0, 125, 126, 65_535, 65_536, 200_000];
    for (const n of sizes) c.ws.send(Uint8Array.from({ length: n }, (_, i) => i % 251));
    await until(() => c.messages.length === sizes.length);
    c.messages.forEach((m, k) => {
      assert.ok(m instanceof ArrayBuffer);
      assert.equal(m.byteLength, sizes[k]);
      assert.deepEqual(new Uint8Array(m), Uint8Array.from({ length: sizes[k] }, (_, i) => i % 251));
    });
    c.ws.close();
    assert.equal((await c.closed).code, 1000);
  });

  it('joins fragmented messages, answers pings, and reports text as strings', async () => {
    const c = await open();
    c.server.send(Buffer.from('frag'), { binary: true, fin: false });
    c.server.send(Buffer.from('ment'), { binary: true, fin: true });
    const pong = new Promise((r) => c.server.once('pong', (data) => r(data.toString())));
    c.server.ping('are you there');
    assert.equal(await pong, 'are you there');
    c.server.send('some text');
    await until(() => c.messages.length === 2);
    assert.equal(Buffer.from(c.messages[0] as ArrayBuffer).toString(), 'fragment');
    assert.equal(c.messages[1], 'some text');
    c.ws.close();
  });

  it("reports the server's close code and reason", async () => {
    const c = await open();
    c.server.close(4000, 'draining');
    assert.deepEqual(await c.closed, { type: 'close', code: 4000, reason: 'draining', wasClean: true });
    assert.equal(c.ws.readyState, 3);
  });

  it('fails cleanly when the server does not upgrade or is not there', async () => {
    for (const target of [url.replace('/sub', '/'), 'ws://127.0.0.1:1/sub']) {
      const ws = new NodeWebSocket(target);
      const events: string[] = [];
      ws.onerror = () => events.push('error');
      const closed = await new Promise<{ code: number }>((r) => (ws.onclose = (ev: { code: number }) => r(ev)));
      assert.equal(closed.code, 1006, target);
      assert.deepEqual(events, ['error']);
    }
  });
});
