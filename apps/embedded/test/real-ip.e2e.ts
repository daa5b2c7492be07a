import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHeaders, type Embedded, freePorts, Haproxy, post, ProtoClient, startEmbedded, waitFor } from '@imgate/testing';

interface ConnectionView {
  mid: number;
  key: string;
  transport: string;
  ip: string;
}

/**
 * What a user tries first: `COMET_TRUSTED_PROXIES=127.0.0.1/32 npm start` behind a local HAProxy
 * (PROXY v2 for TCP, v1 for WebSocket). The embedded default honours the same settings as a comet.
 */
describe('embedded default behind HAProxy: COMET_TRUSTED_PROXIES=127.0.0.1/32', () => {
  let app: Embedded;
  let haproxy: Haproxy;
  let tcpFront: number;
  let wsFront: number;
  const clients: ProtoClient[] = [];

  before(async () => {
    app = await startEmbedded('embedded-real-ip', { COMET_TRUSTED_PROXIES: '127.0.0.1/32' });
    [tcpFront, wsFront] = await freePorts(2);
    haproxy = await Haproxy.start('embedded-real-ip', [
      { name: 'tcp', listen: tcpFront, target: app.tcp, proxyProtocol: 'send-proxy-v2' },
      { name: 'ws', listen: wsFront, target: app.ws, proxyProtocol: 'send-proxy' },
    ]);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await haproxy?.stop();
    await app?.stop();
  });

  it('sees each client\'s own address through the proxy, and pushes reach them', async () => {
    const tcp = await ProtoClient.tcp(tcpFront, { localAddress: '127.0.0.5' });
    const ws = await ProtoClient.ws(`ws://127.0.0.1:${wsFront}/sub`, { localAddress: '127.0.0.6' });
    clients.push(tcp, ws);
    // Dev auth, as the embedded default runs: the client names its user id.
    await tcp.auth({ mid: 9301, accepts: [1000] });
    await ws.auth({ mid: 9302, accepts: [1000] });
    const res = await fetch(`${app.logicUrl}/v1/connections?mids=9301,9302`, { headers: apiHeaders() });
    assert.equal(res.status, 200);
    const { connections } = (await res.json()) as { connections: ConnectionView[] };
    assert.deepEqual(connections.map((c) => [c.mid, c.transport, c.ip]), [[9301, 'tcp', '127.0.0.5'], [9302, 'ws', '127.0.0.6']]);
    const push = await post(`${app.logicUrl}/goim/push/mids?operation=1000&mids=9301&mids=9302`, 'through haproxy');
    assert.equal(push.status, 200);
    await waitFor(() => [tcp, ws].every((c) => c.received.some((p) => p.op === 1000)), 10_000, 'both clients got the push');
  });
});
