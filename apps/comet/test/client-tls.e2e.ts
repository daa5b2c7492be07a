import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { credentials, Metadata } from '@grpc/grpc-js';
import { loadLogicProto } from '@imgate/contracts';
import { encode, Op } from '@imgate/protocol';
import { ImgateClient, type LinesProbedEvent, type NodeClientOptions } from '@imgate/sdk';
import { WebSocket } from 'ws';
import {
  apiHeaders,
  bodyText,
  type Cluster,
  freePorts,
  makeTestPki,
  metric,
  post,
  ProtoClient,
  signHs256,
  startCluster,
  TEST_API_KEY,
  type TestPki,
  testOutputDir,
  waitFor,
} from '@imgate/testing';

const fingerprintOf = (certPath: string) => new X509Certificate(readFileSync(certPath)).fingerprint256;

/** One TLS handshake to the port: the certificate the comet serves now, and how long the handshake took. */
function handshake(port: number, ca: Buffer): Promise<{ fingerprint: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const s: TLSSocket = tlsConnect({ port, host: '127.0.0.1', ca }, () => {
      const ms = performance.now() - started;
      const fingerprint = s.getPeerCertificate().fingerprint256;
      s.destroy();
      resolve({ fingerprint, ms });
    });
    s.once('error', reject);
  });
}

/** A client that trusts only the system's CAs: the comet's test certificate must be refused, with this error. */
function untrusted(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      reject(new Error('a client without the test CA completed the handshake'));
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Raw bytes to a port: what came back before the comet closed it (or 5 s passed). */
function rawExchange(port: number, bytes: Uint8Array | string, localAddress = '127.0.0.1'): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s: Socket = tcpConnect({ port, host: '127.0.0.1', localAddress }, () => s.write(bytes));
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ received: Buffer.concat(chunks), closed: true }));
    setTimeout(() => {
      s.destroy();
      resolve({ received: Buffer.concat(chunks), closed: false });
    }, 5_000).unref();
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Client TLS (issue 12.3): a comet with COMET_TLS_CERT/KEY serves secure WebSocket and TLS over
 * TCP beside its plain listeners, advertises them, swaps its certificate when the files change
 * without dropping anyone, and refuses what is not TLS. Real processes on real Redis and Kafka,
 * certificates from Debian's openssl.
 */
describe('client TLS: WSS and TLS over TCP on a comet, certificate swapped live', () => {
  let cluster: Cluster;
  let pki: TestPki;
  let ca: Buffer;
  let live: { cert: string; key: string };
  let wssPort: number;
  let tlsPort: number;
  const clients: ProtoClient[] = [];
  const sdks: ImgateClient[] = [];

  before(async () => {
    const dir = join(testOutputDir('client-tls'), `pki-${process.pid}`);
    pki = makeTestPki(dir);
    ca = readFileSync(pki.ca);
    // The files the comet watches: a folder of their own, as a mounted Secret would be.
    mkdirSync(join(dir, 'live'), { recursive: true });
    live = { cert: join(dir, 'live', 'tls.crt'), key: join(dir, 'live', 'tls.key') };
    copyFileSync(pki.server.cert, live.cert);
    copyFileSync(pki.server.key, live.key);
    [wssPort, tlsPort] = await freePorts(2);
    cluster = await startCluster({
      name: 'client-tls',
      // 127.0.0.1 is a trusted proxy: its PROXY headers are believed (before TLS, as on plain TCP); 127.0.0.5's are refused.
      env: { COMET_TRUSTED_PROXIES: '127.0.0.1/32', COMET_TLS_RELOAD_DEBOUNCE_MS: '200', COMET_HANDSHAKE_TIMEOUT_MS: '3000' },
      cometEnv: () => ({ COMET_TLS_CERT: live.cert, COMET_TLS_KEY: live.key, COMET_WSS_PORT: String(wssPort), COMET_TLS_PORT: String(tlsPort) }),
    });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    sdks.forEach((c) => c.close());
    await cluster?.stop();
  });

  const metrics = () => `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
  const wssUrl = () => `wss://127.0.0.1:${wssPort}/sub`;

  function sdk(mid: number, opts: NodeClientOptions): { client: ImgateClient; messages: string[]; reasons: string[]; probes: LinesProbedEvent[] } {
    const client = new ImgateClient({ token: () => signHs256({ mid }), watchNetwork: false, backoff: { baseMs: 300 }, ...opts });
    const messages: string[] = [];
    const reasons: string[] = [];
    const probes: LinesProbedEvent[] = [];
    client.on('message', (m) => messages.push(m.text()));
    client.on('reconnecting', (r) => reasons.push(r.reason));
    client.on('linesProbed', (e) => probes.push(e));
    sdks.push(client);
    return { client, messages, reasons, probes };
  }

  async function pushMid(mid: number, text: string): Promise<void> {
    const res = await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=${mid}`, text);
    assert.equal(res.status, 200, JSON.stringify(res.json));
  }

  it('advertises wss:// and the TLS address in the node list (goim weighted, /v1/nodes, gRPC Nodes)', async () => {
    const tls = `127.0.0.1:${tlsPort}`;
    const weighted = (await (await fetch(`${cluster.logic.url}/goim/nodes/weighted`)).json()) as { data: { nodes: Array<Record<string, unknown>> } };
    assert.deepEqual(weighted.data.nodes.map((n) => [n.wss, n.tls]), [[wssUrl(), tls]]);
    const v1 = (await (await fetch(`${cluster.logic.url}/v1/nodes`, { headers: apiHeaders() })).json()) as Array<Record<string, unknown>>;
    assert.deepEqual(v1.map((n) => [n.ws, n.wss, n.tcp, n.tls]), [[cluster.comets[0].wsUrl, wssUrl(), `127.0.0.1:${cluster.comets[0].tcp}`, tls]]);
    const logic = new (loadLogicProto().imgate.logic.Logic)(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${TEST_API_KEY}`);
    const reply = await new Promise<{ nodes: Array<{ wss: string; tls: string }> }>((resolve, reject) =>
      logic.Nodes({}, md, (err, r) => (err || !r ? reject(err ?? new Error('no reply')) : resolve(r as { nodes: Array<{ wss: string; tls: string }> }))),
    );
    logic.close();
    assert.deepEqual(reply.nodes.map((n) => [n.wss, n.tls]), [[wssUrl(), tls]]);
  });

  it('authenticates goim-protocol clients over TLS-TCP and WSS, which then get pushes (handshake time printed)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push((await handshake(tlsPort, ca)).ms);
    const tcp = await ProtoClient.tls(tlsPort, { ca });
    const ws = await ProtoClient.ws(wssUrl(), { ca });
    clients.push(tcp, ws);
    assert.equal(tcp.socket.getPeerCertificate().fingerprint256, fingerprintOf(pki.server.cert));
    assert.equal((await tcp.auth({ token: await signHs256({ mid: 12_301 }), accepts: [1000] })).mid, 12_301);
    assert.equal((await ws.auth({ token: await signHs256({ mid: 12_302 }), accepts: [1000] })).mid, 12_302);
    await pushMid(12_301, 'over tls');
    await pushMid(12_302, 'over wss');
    assert.equal(bodyText(await tcp.op(1000)), 'over tls');
    assert.equal(bodyText(await ws.op(1000)), 'over wss');
    // The same connection handling: a heartbeat answered with the room count.
    tcp.send(Op.Heartbeat);
    assert.equal((await tcp.op(Op.HeartbeatReply)).op, Op.HeartbeatReply);
    console.log(`TLS handshake to the comet (loopback, EC P-256, TLS ${tcp.socket.getProtocol()}): median ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms over ${times.length}`);
  });

  it('the SDK connects over tls:// and wss:// from logic\'s list (with the test CA) and over the node URLs, and gets pushes', async () => {
    const viaLogicTls = sdk(12_311, { logicUrl: cluster.logic.url, transport: 'tls', ca });
    const viaLogicWss = sdk(12_312, { logicUrl: cluster.logic.url, transport: 'wss', ca });
    // Line probing races two tls:// lines (by name and by address) to the same comet, each through its own handshake.
    const lines = [`tls://localhost:${tlsPort}`, `tls://127.0.0.1:${tlsPort}`];
    const byUrl = sdk(12_313, { nodes: lines, ca, lines: true });
    const started = performance.now();
    const infos = await Promise.all([viaLogicTls.client.connect(), viaLogicWss.client.connect(), byUrl.client.connect()]);
    const connectMs = performance.now() - started;
    assert.deepEqual(infos.slice(0, 2).map((i) => i.node), [`tls://127.0.0.1:${tlsPort}`, wssUrl()]);
    assert.ok(lines.includes(infos[2].node), infos[2].node);
    assert.equal(byUrl.probes.length, 1);
    assert.deepEqual(byUrl.probes[0].probed.map((p) => p.node).sort(), lines.map((l) => l.slice('tls://'.length)).sort());
    assert.ok(byUrl.probes[0].probed.some((p) => p.rttMs !== undefined), 'a probe answered over TLS');
    for (const [mid, t] of [[12_311, viaLogicTls], [12_312, viaLogicWss], [12_313, byUrl]] as const) {
      await pushMid(mid, `sdk ${mid}`);
      await waitFor(() => t.messages.includes(`sdk ${mid}`), 10_000, `push to SDK client ${mid}`);
    }
    console.log(`SDK: three clients (tls and wss from logic's list, tls with two lines raced) connected and authenticated in ${connectMs.toFixed(0)} ms`);
  });

  it('refuses a client that does not trust the CA, raw and through the SDK', async () => {
    assert.match(await untrusted(tlsPort), /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/);
    assert.match(await untrusted(wssPort), /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/);
    const wsErr = await new Promise<string>((resolve) => {
      const ws = new WebSocket(wssUrl());
      ws.on('open', () => resolve('opened'));
      ws.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    assert.match(wsErr, /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    const noCa = sdk(12_321, { nodes: [`tls://127.0.0.1:${tlsPort}`], connectTimeoutMs: 3_000 });
    void noCa.client.connect().catch(() => undefined);
    await waitFor(() => noCa.reasons.length > 0, 10_000, 'the SDK without the CA gives up an attempt');
    assert.match(noCa.reasons[0], /issuer certificate|unable to verify|self-signed/i);
    assert.equal(noCa.client.connection, undefined);
    noCa.client.close();
    const res = await fetch(`${cluster.logic.url}/v1/connections?mids=12321`, { headers: apiHeaders() });
    assert.deepEqual(((await res.json()) as { connections: unknown[] }).connections, [], 'no session for the refused client');
  });

  it('swaps the certificate when its files change: live connections stay, new ones get the new one (reload time printed)', async () => {
    const tcp = await ProtoClient.tls(tlsPort, { ca });
    const ws = await ProtoClient.ws(wssUrl(), { ca });
    const client = sdk(12_331, { nodes: [wssUrl()], ca });
    clients.push(tcp, ws);
    await tcp.auth({ token: await signHs256({ mid: 12_331 + 1 }), accepts: [1000] });
    await ws.auth({ token: await signHs256({ mid: 12_331 + 2 }), accepts: [1000] });
    await client.client.connect();
    const oldPrint = fingerprintOf(pki.server.cert);
    assert.equal((await handshake(wssPort, ca)).fingerprint, oldPrint);
    const okBefore = await metric(metrics(), 'imgate_comet_tls_reloads_total', 'result="ok"');

    // As cert-manager or an operator would: new files written next to the old ones, then renamed over them.
    const next = pki.issue('server-rotated', { cn: 'rotated' });
    const newPrint = fingerprintOf(next.cert);
    assert.notEqual(newPrint, oldPrint);
    const swapped = performance.now();
    copyFileSync(next.cert, `${live.cert}.tmp`);
    copyFileSync(next.key, `${live.key}.tmp`);
    renameSync(`${live.key}.tmp`, live.key);
    renameSync(`${live.cert}.tmp`, live.cert);
    let seen = '';
    await waitFor(async () => (seen = (await handshake(tlsPort, ca)).fingerprint) === newPrint, 10_000, 'the new certificate on new connections');
    const reloadMs = performance.now() - swapped;
    assert.equal((await handshake(wssPort, ca)).fingerprint, newPrint, 'WSS serves it too');
    assert.equal(seen, newPrint);
    assert.ok((await metric(metrics(), 'imgate_comet_tls_reloads_total', 'result="ok"')) > okBefore);

    // The connections made before the swap are the same ones, still delivering.
    assert.equal(tcp.closed || ws.closed, false);
    assert.equal(tcp.socket.getPeerCertificate().fingerprint256, oldPrint, 'a live session keeps what it negotiated');
    await pushMid(12_332, 'after swap tls');
    await pushMid(12_333, 'after swap wss');
    await pushMid(12_331, 'after swap sdk');
    assert.equal(bodyText(await tcp.op(1000)), 'after swap tls');
    assert.equal(bodyText(await ws.op(1000)), 'after swap wss');
    await waitFor(() => client.messages.includes('after swap sdk'), 10_000, 'the SDK client keeps its connection');
    assert.deepEqual(client.reasons, [], 'the SDK client never reconnected');
    const fresh = await ProtoClient.tls(tlsPort, { ca });
    clients.push(fresh);
    assert.equal((await fresh.auth({ token: await signHs256({ mid: 12_334 }), accepts: [1000] })).mid, 12_334);
    console.log(`certificate swap: new connections got the new certificate ${reloadMs.toFixed(0)} ms after the files were renamed (debounce 200 ms); 3 live connections kept`);
  });

  it('refuses a half-written pair with a logged reason and keeps serving the previous certificate', async () => {
    const current = (await handshake(tlsPort, ca)).fingerprint;
    const failedBefore = await metric(metrics(), 'imgate_comet_tls_reloads_total', 'result="failed"');
    const third = pki.issue('server-third', { cn: 'third' });
    const pem = readFileSync(third.cert);
    // Written in place, cut in the middle, as a slow copy would leave it.
    writeFileSync(live.cert, pem.subarray(0, Math.floor(pem.length / 2)));
    await waitFor(async () => (await metric(metrics(), 'imgate_comet_tls_reloads_total', 'result="failed"')) > failedBefore, 10_000, 'the refused reload counted');
    assert.equal((await handshake(tlsPort, ca)).fingerprint, current, 'the old pair still serves');
    assert.match(cluster.comets[0].proc.output, /reload refused/);
    // The rest of the copy lands (and the key): the third certificate serves.
    copyFileSync(third.key, live.key);
    writeFileSync(live.cert, pem);
    await waitFor(async () => (await handshake(tlsPort, ca)).fingerprint === fingerprintOf(third.cert), 10_000, 'the completed pair');
  });

  it('takes plain-text bytes on the TLS ports as a failed handshake: closed, counted, nothing else hurt', async () => {
    const before = await metric(metrics(), 'imgate_comet_tls_handshake_failures_total', 'listener="tls",reason="not_tls"');
    const beforeWss = await metric(metrics(), 'imgate_comet_tls_handshake_failures_total', 'listener="wss",reason="not_tls"');
    const auth = encode({ op: Op.Auth, seq: 1, body: new TextEncoder().encode(JSON.stringify({ token: await signHs256({ mid: 12_341 }) })) });
    const plain = await rawExchange(tlsPort, auth);
    assert.equal(plain.closed, true);
    assert.equal(plain.received.includes(Buffer.from('"mid"')), false, 'no auth reply in plain text');
    const http = await rawExchange(wssPort, 'GET /sub HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    assert.equal(http.closed, true);
    assert.equal(http.received.includes(Buffer.from('101 Switching')), false);
    await waitFor(async () => (await metric(metrics(), 'imgate_comet_tls_handshake_failures_total', 'listener="tls",reason="not_tls"')) > before, 5_000, 'counted on tls');
    assert.ok((await metric(metrics(), 'imgate_comet_tls_handshake_failures_total', 'listener="wss",reason="not_tls"')) > beforeWss);
    // Garbage, then a client that says nothing (cut by the handshake timeout, 3 s).
    const junk = await rawExchange(tlsPort, Buffer.alloc(4096, 0x16));
    assert.equal(junk.closed, true);
    const silent = await rawExchange(wssPort, new Uint8Array(0));
    assert.equal(silent.closed, true, 'a silent client is cut within the handshake timeout');
    assert.ok(cluster.comets[0].proc.running, 'the comet is still running');
    assert.equal((await fetch(`http://127.0.0.1:${cluster.comets[0].http}/health/ready`)).status, 200);
    const after = await ProtoClient.tls(tlsPort, { ca });
    clients.push(after);
    assert.equal((await after.auth({ token: await signHs256({ mid: 12_342 }), accepts: [1000] })).mid, 12_342);
    await pushMid(12_342, 'still fine');
    assert.equal(bodyText(await after.op(1000)), 'still fine');
  });

  it('applies the PROXY protocol rules before TLS as on plain TCP: believed from a trusted proxy, refused from anyone else', async () => {
    // A trusted proxy (127.0.0.1) passing TLS through: PROXY v1 first, then the client's own handshake.
    const raw = tcpConnect({ port: tlsPort, host: '127.0.0.1' });
    await new Promise((r) => raw.once('connect', r));
    raw.write('PROXY TCP4 203.0.113.7 127.0.0.1 40123 3104\r\n');
    const tls = tlsConnect({ socket: raw, ca, servername: 'localhost' });
    await new Promise((resolve, reject) => {
      tls.once('secureConnect', resolve);
      tls.once('error', reject);
    });
    tls.write(encode({ op: Op.Auth, seq: 1, body: new TextEncoder().encode(JSON.stringify({ token: await signHs256({ mid: 12_351 }) })) }));
    await waitFor(async () => {
      const r = await fetch(`${cluster.logic.url}/v1/connections?mids=12351`, { headers: apiHeaders() });
      const list = ((await r.json()) as { connections: Array<{ ip: string; port: number; transport: string }> }).connections;
      return list.length === 1 && list[0].ip === '203.0.113.7' && list[0].port === 40123 && list[0].transport === 'tcp';
    }, 10_000, 'the proxied client address on the TLS connection');
    tls.destroy();
    // The same header from a peer that is no trusted proxy: refused before any TLS.
    const untrustedBefore = await metric(metrics(), 'imgate_comet_proxy_headers_total', 'result="untrusted"');
    const forged = await rawExchange(tlsPort, 'PROXY TCP4 6.6.6.6 127.0.0.1 54321 3104\r\n', '127.0.0.5');
    assert.deepEqual({ closed: forged.closed, received: forged.received.length }, { closed: true, received: 0 });
    const forgedWss = await rawExchange(wssPort, 'PROXY TCP4 6.6.6.6 127.0.0.1 54321 3103\r\n', '127.0.0.5');
    assert.deepEqual({ closed: forgedWss.closed, received: forgedWss.received.length }, { closed: true, received: 0 });
    assert.equal(await metric(metrics(), 'imgate_comet_proxy_headers_total', 'result="untrusted"'), untrustedBefore + 2);
  });
});
