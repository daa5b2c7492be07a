// Trust between roles with mTLS (docs/security.md, "Trust between roles"): every role's gRPC runs
// over TLS with client certificates from one CA (made here with Debian's openssl); a caller is the
// role in its certificate's URI SAN. Pushes go end to end; outsiders and impostors are refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ChannelCredentials, credentials, status } from '@grpc/grpc-js';
import { callUnary } from '@imgate/common';
import { loadCometProto, loadLogicProto } from '@imgate/contracts';
import { bodyText, type CertPair, type Cluster, grpcError, makeTestPki, peerMetadata, post, ProtoClient, signHs256, startCluster, testOutputDir, type TestPki } from '@imgate/testing';

const tlsEnv = (role: 'LOGIC' | 'COMET' | 'JOB', pair: CertPair, ca: string): Record<string, string> => ({
  [`${role}_GRPC_TLS_CERT`]: pair.cert,
  [`${role}_GRPC_TLS_KEY`]: pair.key,
  [`${role}_GRPC_TLS_CA`]: ca,
});

describe('trust between roles: mTLS', () => {
  let pki: TestPki;
  let rogue: TestPki;
  let cluster: Cluster;
  let client: ProtoClient;
  let clientKey: string;
  const Logic = loadLogicProto().imgate.logic.Logic;
  const Comet = loadCometProto().imgate.comet.Comet;
  const closers: Array<{ close(): void }> = [];
  const creds = (pair: CertPair | undefined, ca = pki.ca): ChannelCredentials =>
    pair ? credentials.createSsl(readFileSync(ca), readFileSync(pair.key), readFileSync(pair.cert)) : credentials.createSsl(readFileSync(ca));
  const logicAs = (c: ChannelCredentials) => {
    const l = new Logic(`127.0.0.1:${cluster.logic.grpc}`, c);
    closers.push(l);
    return l;
  };
  const cometAs = (c: ChannelCredentials) => {
    const x = new Comet(`127.0.0.1:${cluster.comets[0].grpc}`, c);
    closers.push(x);
    return x;
  };

  before(async () => {
    const dir = testOutputDir('cluster-mtls');
    pki = makeTestPki(join(dir, 'pki'));
    rogue = makeTestPki(join(dir, 'rogue-pki'), 'rogue CA');
    cluster = await startCluster({
      name: 'cluster-mtls',
      comets: 2,
      // No CLUSTER_SECRET: certificates are the only proof.
      env: { CLUSTER_SECRET: '', ...tlsEnv('LOGIC', pki.logic, pki.ca), ...tlsEnv('JOB', pki.job, pki.ca) },
      cometEnv: (id) => tlsEnv('COMET', pki.comet(id), pki.ca),
    });
    client = await ProtoClient.ws(cluster.comets[1].wsUrl);
    clientKey = (await client.auth({ token: await signHs256({ mid: 9301 }), accepts: [1000] })).key;
  });
  after(async () => {
    client?.close();
    closers.forEach((c) => c.close());
    await cluster?.stop();
  });

  it('a cluster with mTLS between all roles delivers pushes end to end (HTTP → logic → Kafka → job → comet)', async () => {
    assert.match(cluster.logic.proc.output, /"tls":true[^\n]*gRPC listening|gRPC listening[^\n]*"tls":true/);
    const res = await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=9301`, 'over mTLS');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(bodyText(await client.next((p) => p.op === 1000, 15_000)), 'over mTLS');
    const room = await post(`${cluster.logic.url}/goim/push/all?operation=1000`, 'to all over mTLS');
    assert.equal(room.status, 200);
    assert.equal(bodyText(await client.next((p) => p.op === 1000 && bodyText(p) === 'to all over mTLS', 15_000)), 'to all over mTLS');
  });

  it('no client certificate, a certificate from another CA, or plaintext: the handshake fails before any method runs', async () => {
    const deliver = { items: [{ push: { keys: [clientKey], operation: 1000, body: Buffer.from('forged') } }] };
    for (const [what, c] of [
      ['no certificate', creds(undefined)],
      ['another CA’s comet certificate', creds(rogue.comet(cluster.comets[1].id), pki.ca)],
      ['another CA’s job certificate', creds(rogue.job, pki.ca)],
      ['plaintext', credentials.createInsecure()],
    ] as const) {
      const x = cometAs(c);
      const err = await grpcError(callUnary(x.Deliver, x, deliver, 5_000, peerMetadata('job')));
      assert.equal(err.code, status.UNAVAILABLE, `comet Deliver with ${what}: ${err.details}`);
      const token = Buffer.from(JSON.stringify({ token: await signHs256({ mid: 9302 }) }));
      const l = logicAs(c);
      assert.equal((await grpcError(callUnary(l.Connect, l, { server: cluster.comets[1].id, token }, 5_000, peerMetadata('comet', cluster.comets[1].id)))).code, status.UNAVAILABLE, `logic Connect with ${what}`);
    }
    await client.wait(300);
    assert.ok(!client.received.some((p) => bodyText(p) === 'forged'));
  });

  it('a certificate from the cluster CA proves only the role it names', async () => {
    const deliver = { items: [{ push: { keys: [clientKey], operation: 1000, body: Buffer.from('forged') } }] };
    // A certificate without an imgate:// role (e.g. a business service's).
    const plain = creds(pki.server);
    let c = cometAs(plain);
    let err = await grpcError(callUnary(c.Kick, c, { keys: [clientKey], reason: 'forged' }, 5_000));
    assert.equal(err.code, status.UNAUTHENTICATED);
    assert.match(err.details, /names no imgate:\/\/ role/);
    // A comet's certificate cannot call another comet (only job and logic can).
    c = cometAs(creds(pki.comet('comet-x')));
    assert.equal((await grpcError(callUnary(c.Deliver, c, deliver, 5_000))).code, status.PERMISSION_DENIED);
    // job's certificate is not a comet's: logic's comet-only methods refuse it.
    const token = Buffer.from(JSON.stringify({ token: await signHs256({ mid: 9303 }) }));
    let l = logicAs(creds(pki.job));
    assert.equal((await grpcError(callUnary(l.Connect, l, { server: cluster.comets[1].id, token }, 5_000))).code, status.PERMISSION_DENIED);
    // comet-1's certificate cannot act as comet-2, whatever the request says.
    l = logicAs(creds(pki.comet(cluster.comets[0].id)));
    err = await grpcError(callUnary(l.Disconnect, l, { server: cluster.comets[1].id, mid: 9301, key: clientKey }, 5_000));
    assert.equal(err.code, status.PERMISSION_DENIED);
    assert.match(err.details, /is not the caller's comet id/);
    // logic's certificate may kick on a comet (logic kicks a resumed session's old connection); an empty kick is only validated.
    c = cometAs(creds(pki.logic));
    assert.equal((await grpcError(callUnary(c.Kick, c, {}, 5_000))).code, status.INVALID_ARGUMENT);

    await client.wait(300);
    assert.equal(client.closed, false);
    const res = await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=9301`, 'session intact');
    assert.equal(res.status, 200);
    assert.equal(bodyText(await client.next((p) => p.op === 1000 && bodyText(p) === 'session intact', 15_000)), 'session intact');
  });
});
