import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { ProxyGate } from './proxy-gate';
import type { ProxyPeer } from './trusted-proxies';

type Outcome = { client: ProxyPeer; head: string } | 'destroyed';

/** A loopback server whose sockets go through `gate.screen`; each connection's outcome is reported. */
async function serve(gate: ProxyGate): Promise<{ server: Server; port: number; next: () => Promise<Outcome> }> {
  const outcomes: Array<(o: Outcome) => void> = [];
  const pending: Outcome[] = [];
  const report = (o: Outcome) => (outcomes.length ? outcomes.shift()!(o) : pending.push(o));
  const server = createServer((socket: Socket) => {
    socket.on('close', () => report('destroyed'));
    gate.screen(socket, (client, head) => {
      socket.removeAllListeners('close');
      report({ client, head: head?.toString('latin1') ?? '' });
      socket.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { server, port, next: () => (pending.length ? Promise.resolve(pending.shift()!) : new Promise((r) => outcomes.push(r))) };
}

async function send(port: number, parts: Array<string | Buffer>, localAddress = '127.0.0.1'): Promise<void> {
  const s = connect({ port, host: '127.0.0.1', localAddress });
  s.on('error', () => undefined);
  await new Promise((r) => s.once('connect', r));
  for (const p of parts) {
    s.write(p);
    await new Promise((r) => setTimeout(r, 20));
  }
  setTimeout(() => s.destroy(), 500).unref();
}

function gateOf(protocol: 'optional' | 'required', timeoutMs = 2_000) {
  const counter = new Counter({ name: 'proxy_headers_total', help: 'x', labelNames: ['result'], registers: [new Registry()] });
  return { gate: new ProxyGate({ trusted: ['127.0.0.1/32'], protocol, timeoutMs, counter }), counter };
}

const count = async (c: Counter<'result'>, result: string) => (await c.get()).values.find((v) => v.labels.result === result)?.value ?? 0;

describe('ProxyGate over real sockets', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it('reads a header split over several writes from a trusted peer, and hands on what follows', async () => {
    const { gate, counter } = gateOf('required');
    const { server, port, next } = await serve(gate);
    servers.push(server);
    await send(port, ['PROXY TCP4 198.51', '.100.7 127.0.0.1 5555 3101\r', '\nhello']);
    assert.deepEqual(await next(), { client: { address: '198.51.100.7', port: 5555 }, head: 'hello' });
    assert.equal(await count(counter, 'accepted'), 1);
  });

  it('required: a trusted peer without a header is closed; optional: it is its own client', async () => {
    const required = gateOf('required');
    const a = await serve(required.gate);
    servers.push(a.server);
    await send(a.port, ['GET /sub HTTP/1.1\r\n']);
    assert.equal(await a.next(), 'destroyed');
    assert.equal(await count(required.counter, 'missing'), 1);

    const optional = gateOf('optional');
    const b = await serve(optional.gate);
    servers.push(b.server);
    await send(b.port, ['GET /sub HTTP/1.1\r\n']);
    const o = await b.next();
    assert.notEqual(o, 'destroyed');
    assert.deepEqual(o !== 'destroyed' && [o.client.address, o.head], ['127.0.0.1', 'GET /sub HTTP/1.1\r\n']);
    assert.equal(await count(optional.counter, 'absent'), 1);
  });

  it('closes on a malformed header, a silent peer, and an untrusted peer\'s header', async () => {
    const { gate, counter } = gateOf('optional', 300);
    const { server, port, next } = await serve(gate);
    servers.push(server);
    await send(port, ['PROXY TCP4 1.2.3.999 127.0.0.1 1 2\r\n']);
    assert.equal(await next(), 'destroyed');
    await send(port, []);
    assert.equal(await next(), 'destroyed');
    await send(port, ['PROXY TCP4 6.6.6.6 127.0.0.1 1 2\r\n'], '127.0.0.5');
    assert.equal(await next(), 'destroyed');
    assert.deepEqual([await count(counter, 'malformed'), await count(counter, 'timeout'), await count(counter, 'untrusted')], [1, 1, 1]);
  });
});
