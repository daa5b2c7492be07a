// The embedded default's push plane (docs/security.md): without LOGIC_API_KEYS logic's HTTP listens
// on 127.0.0.1 only and takes keyless calls (and the demo page's own posts), never a foreign web
// page's; its roles prove themselves to each other with a secret made for the process, so nothing
// else can call their gRPC. With LOGIC_API_KEYS it listens everywhere and requires the key.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { credentials, status } from '@grpc/grpc-js';
import { callUnary } from '@imgate/common';
import { loadCometProto, loadLogicProto } from '@imgate/contracts';
import { apiHeaders, type Embedded, grpcError, peerMetadata, startEmbedded, TEST_API_KEY } from '@imgate/testing';

/** An address of this machine that is not loopback, if it has one. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** A POST with headers fetch would not let us set (Host). */
function rawPost(port: number, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/goim/push/mids?operation=1000&mids=1', headers: { 'Content-Type': 'text/plain', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end('x');
  });
}

const push = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/goim/push/mids?operation=1000&mids=1`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body: 'x', signal: AbortSignal.timeout(5_000) });

describe('embedded default: push API and gRPC', () => {
  let open: Embedded;
  let keyed: Embedded;
  before(async () => {
    open = await startEmbedded('embedded-api');
    keyed = await startEmbedded('embedded-api-keyed', { LOGIC_API_KEYS: TEST_API_KEY });
  });
  after(async () => {
    await open?.stop();
    await keyed?.stop();
  });

  it('without keys: HTTP on 127.0.0.1 only, keyless pushes from this host, the demo’s own origin but no other page', async () => {
    assert.match(open.proc.output, /"http":"127\.0\.0\.1:\d+"/);
    assert.match(open.proc.output, /no LOGIC_API_KEYS: the push API takes keyless calls from this host only/);
    assert.equal((await push(open.logicUrl)).status, 200);
    const own = new URL(open.logicUrl).origin;
    assert.equal((await push(open.logicUrl, { Origin: own })).status, 200, 'the demo page served by logic');
    for (const origin of ['https://evil.example.net', 'http://localhost:8080', 'null']) assert.equal((await push(open.logicUrl, { Origin: origin })).status, 403, origin);
    const port = new URL(open.logicUrl).port;
    // A page on a name that resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host and Origin.
    assert.equal(await rawPost(Number(port), { Origin: `http://evil.example.net:${port}`, Host: `evil.example.net:${port}` }), 403, 'a DNS-rebound name');
    if (outside) await assert.rejects(push(`http://${outside}:${port}`), `logic must not answer on ${outside}`);
  });

  it('with LOGIC_API_KEYS: every interface, and the key is required', async () => {
    assert.match(keyed.proc.output, /"http":"0\.0\.0\.0:\d+"/);
    assert.equal((await push(keyed.logicUrl)).status, 401);
    assert.equal((await push(keyed.logicUrl, apiHeaders())).status, 200);
    const port = new URL(keyed.logicUrl).port;
    if (outside) assert.equal((await push(`http://${outside}:${port}`, apiHeaders())).status, 200);
  });

  it('its roles’ gRPC takes only the process’s own members (the test secret, or none, is refused); gRPC pushes from this host need no key', async () => {
    const logicGrpc = Number(open.proc.env.LOGIC_GRPC_ADDR.split(':').pop());
    const cometGrpc = Number(open.proc.env.COMET_GRPC_PORT);
    assert.ok(logicGrpc > 0 && cometGrpc > 0);
    const Logic = loadLogicProto().imgate.logic.Logic;
    const Comet = loadCometProto().imgate.comet.Comet;
    const logic = new Logic(`127.0.0.1:${logicGrpc}`, credentials.createInsecure());
    const comet = new Comet(`127.0.0.1:${cometGrpc}`, credentials.createInsecure());
    try {
      for (const md of [undefined, peerMetadata('job')]) {
        assert.equal((await grpcError(callUnary(comet.Kick, comet, { mids: [1], reason: 'x' }, 5_000, md))).code, status.UNAUTHENTICATED);
      }
      // Push methods, unlike comet-only ones, take keyless calls from this host (as the HTTP API does).
      const pushed = (await callUnary(logic.PushMids, logic, { mids: [1], operation: 1000, body: Buffer.from('x') }, 5_000)) as { id: string };
      assert.match(String(pushed.id), /^[1-9]\d*$/);
      const token = Buffer.from(JSON.stringify({ mid: 1 }));
      assert.equal((await grpcError(callUnary(logic.Connect, logic, { server: 'any', token }, 5_000, peerMetadata('comet', 'any')))).code, status.UNAUTHENTICATED);
    } finally {
      logic.close();
      comet.close();
    }
  });
});
