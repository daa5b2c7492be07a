import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { resetSocket, TcpProxy } from './tcp-proxy';

/** A connected loopback pair: `local` (ours) and `peer` (the server's side). */
async function connectedPair(server: Server): Promise<{ local: Socket; peer: Socket }> {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const local = createConnection({ host: '127.0.0.1', port });
  await once(local, 'connect');
  const [peer] = await accepted;
  return { local, peer };
}

/** Resolves with whether `s` emitted 'close' within `ms` (a socket whose handle never closes does not). */
function closesWithin(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    s.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('resetSocket', () => {
  let server: Server;
  before(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resets a connected socket: the peer sees ECONNRESET', async () => {
    const { local, peer } = await connectedPair(server);
    const peerError = once(peer, 'error') as Promise<[NodeJS.ErrnoException]>;
    resetSocket(local);
    assert.equal(await closesWithin(local, 2_000), true);
    assert.equal((await peerError)[0].code, 'ECONNRESET');
  });

  it('closes a socket whose FIN is still under way (an RST there would leave its handle open for ever)', async () => {
    const { local, peer } = await connectedPair(server);
    peer.resume();
    const errors: Error[] = [];
    local.on('error', (e) => errors.push(e));
    local.end(); // nothing queued: the shutdown is issued now and completes on a later loop turn
    await Promise.resolve();
    assert.equal(local.writableEnded && !local.writableFinished, true, 'the shutdown is still in flight');
    resetSocket(local);
    assert.equal(await closesWithin(local, 2_000), true, 'the socket closed');
    assert.deepEqual(errors.map((e) => e.message), []);
    peer.destroy();
  });

  it('leaves a destroyed socket alone', async () => {
    const { local, peer } = await connectedPair(server);
    local.destroy();
    assert.doesNotThrow(() => resetSocket(local));
    peer.destroy();
  });
});

describe('TcpProxy', () => {
  it('forwards both ways, resets live pairs on request and on close', async () => {
    const echo = createServer((s) => {
      s.on('error', () => undefined); // the reset reaches this side too
      s.pipe(s);
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const addr = echo.address();
    const proxy = await TcpProxy.start(typeof addr === 'object' && addr ? addr.port : 0);
    try {
      const client = createConnection({ host: '127.0.0.1', port: proxy.port });
      await once(client, 'connect');
      client.write('ping');
      const [data] = (await once(client, 'data')) as [Buffer];
      assert.equal(data.toString(), 'ping');
      assert.equal(proxy.size, 1);
      const clientError = once(client, 'error') as Promise<[NodeJS.ErrnoException]>;
      assert.equal(proxy.resetSome(0.5), 1);
      assert.equal((await clientError)[0].code, 'ECONNRESET');
      assert.equal(proxy.size, 0);
      assert.equal(proxy.resets, 1);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });
});
