import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata } from '@grpc/grpc-js';
import { loadLogicProto } from '@imgate/contracts';
import { encode, Op } from '@imgate/protocol';
import { TEST_API_KEY, apiHeaders, type Cluster, freePorts, Haproxy, metric, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

interface ConnectionView {
  mid: number;
  transport: string;
  ip: string;
  port: number;
}

const V2_SIGNATURE = '0d0a0d0a000d0a515549540a';

/** A raw socket from `localAddress`: what it writes first, and whether the comet closed it without a word. */
function rawExchange(port: number, localAddress: string, bytes: Uint8Array): Promise<{ received: number; closed: boolean }> {
  return new Promise((resolve) => {
    let received = 0;
    const s: Socket = connect({ port, host: '127.0.0.1', localAddress }, () => s.write(bytes));
    s.on('data', (d) => (received += d.length));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ received, closed: true }));
    setTimeout(() => {
      s.destroy();
      resolve({ received, closed: false });
    }, 5_000).unref();
  });
}

/**
 * The client's real address behind a real HAProxy (issue 14.4): PROXY protocol v2 on TCP and v1 on
 * WebSocket from the trusted proxy (127.0.0.1/32), clients on distinct loopback addresses; PROXY
 * headers and X-Forwarded-For from anyone else are refused or ignored.
 */
describe('real client IP: HAProxy with send-proxy-v2 (TCP) and send-proxy (WebSocket) in front of a comet', () => {
  let cluster: Cluster;
  let haproxy: Haproxy;
  let tcpFront: number;
  let wsFront: number;
  const clients: ProtoClient[] = [];

  before(async () => {
    cluster = await startCluster({ name: 'real-ip', env: { COMET_TRUSTED_PROXIES: '127.0.0.1/32', COMET_ONLINE_REPORT_MS: '300' } });
    [tcpFront, wsFront] = await freePorts(2);
    const comet = cluster.comets[0];
    haproxy = await Haproxy.start('real-ip', [
      { name: 'tcp', listen: tcpFront, target: comet.tcp, proxyProtocol: 'send-proxy-v2' },
      { name: 'ws', listen: wsFront, target: comet.ws, proxyProtocol: 'send-proxy' },
    ]);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await haproxy?.stop();
    await cluster?.stop();
  });

  async function connections(mids: number[]): Promise<ConnectionView[]> {
    const res = await fetch(`${cluster.logic.url}/v1/connections?mids=${mids.join(',')}`, { headers: apiHeaders() });
    assert.equal(res.status, 200);
    return ((await res.json()) as { connections: ConnectionView[] }).connections;
  }

  const metrics = () => `http://127.0.0.1:${cluster.comets[0].http}/metrics`;

  it('lists the clients\' own addresses and ports, not the proxy\'s, and counts them as two IPs', async () => {
    const tcp = await ProtoClient.tcp(tcpFront, { localAddress: '127.0.0.5' });
    const ws = await ProtoClient.ws(`ws://127.0.0.1:${wsFront}/sub`, { localAddress: '127.0.0.6' });
    clients.push(tcp, ws);
    await tcp.auth({ token: await signHs256({ mid: 9201 }) });
    await ws.auth({ token: await signHs256({ mid: 9202 }) });
    const views = await connections([9201, 9202]);
    assert.deepEqual(views.map((v) => [v.mid, v.transport, v.ip]), [[9201, 'tcp', '127.0.0.5'], [9202, 'ws', '127.0.0.6']]);
    for (const v of views) assert.ok(v.port > 1024 && v.port < 65536, `a client port (${v.port})`);
    assert.ok((await metric(metrics(), 'imgate_comet_proxy_headers_total', 'result="accepted"')) >= 2);
    // The same over gRPC (Logic.Connections), with the push plane's key.
    const logic = new (loadLogicProto().imgate.logic.Logic)(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${TEST_API_KEY}`);
    const reply = await new Promise<{ connections: Array<{ mid: number; ip: string; port: number; comet: string }> }>((resolve, reject) =>
      logic.Connections({ mids: [9201, 9202] }, md, (err, r) => (err || !r ? reject(err ?? new Error('no reply')) : resolve(r))),
    );
    logic.close();
    assert.deepEqual(reply.connections.map((c) => [c.mid, c.ip, c.port, c.comet]), views.map((v) => [v.mid, v.ip, v.port, cluster.comets[0].id]));
    // Online counts see two addresses where, without the header, both would be 127.0.0.1.
    await waitFor(async () => {
      const r = await fetch(`${cluster.logic.url}/v1/online/total`, { headers: apiHeaders() });
      return ((await r.json()) as { ips: number }).ips === 2;
    }, 10_000, 'two client IPs online');
  });

  it('refuses a PROXY header from an address that is not a trusted proxy, on TCP and on WebSocket', async () => {
    const comet = cluster.comets[0];
    const before = await metric(metrics(), 'imgate_comet_proxy_headers_total', 'result="untrusted"');
    const auth = encode({ op: Op.Auth, seq: 1, body: new TextEncoder().encode(JSON.stringify({ token: await signHs256({ mid: 9203 }) })) });
    // Signature, PROXY over TCP4, 12 bytes: 6.6.6.6 -> 127.0.0.1, 54321 -> 3101 (a forged address), then an auth packet.
    const forged = Buffer.concat([Buffer.from(`${V2_SIGNATURE}2111000c060606067f000001d4310c1d`, 'hex'), auth]);
    const tcp = await rawExchange(comet.tcp, '127.0.0.5', forged);
    assert.deepEqual(tcp, { received: 0, closed: true }, 'closed without an auth reply');
    const ws = await rawExchange(comet.ws, '127.0.0.5', Buffer.from('PROXY TCP4 6.6.6.6 127.0.0.1 54321 3102\r\nGET /sub HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'));
    assert.deepEqual(ws, { received: 0, closed: true }, 'closed without an upgrade');
    assert.equal(await metric(metrics(), 'imgate_comet_proxy_headers_total', 'result="untrusted"'), before + 2);
    assert.deepEqual(await connections([9203]), []);
  });

  it('ignores X-Forwarded-For from an untrusted peer and honours it (and Forwarded) from a trusted one', async () => {
    const comet = cluster.comets[0];
    const spoof = await ProtoClient.ws(comet.wsUrl, { localAddress: '127.0.0.6', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    const trusted = await ProtoClient.ws(comet.wsUrl, { localAddress: '127.0.0.1', headers: { 'X-Forwarded-For': '6.6.6.6, 198.51.100.7' } });
    const rfc = await ProtoClient.ws(comet.wsUrl, { localAddress: '127.0.0.1', headers: { Forwarded: 'for="[2001:db8::7]:4711";proto=http' } });
    clients.push(spoof, trusted, rfc);
    await spoof.auth({ token: await signHs256({ mid: 9204 }) });
    await trusted.auth({ token: await signHs256({ mid: 9205 }) });
    await rfc.auth({ token: await signHs256({ mid: 9206 }) });
    const views = await connections([9204, 9205, 9206]);
    assert.deepEqual(views.map((v) => [v.mid, v.ip]), [[9204, '127.0.0.6'], [9205, '198.51.100.7'], [9206, '2001:db8::7']]);
    assert.equal(views[2].port, 4711);
  });
});
