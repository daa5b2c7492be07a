// Trust between roles with CLUSTER_SECRET (docs/security.md, "Trust between roles"): gRPC without
// TLS, every role proving membership with an HMAC of the shared secret. A process that is not a
// member calls comet Deliver/Kick and logic's comet-only methods, and poses as another comet.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { callUnary, PEER_METADATA } from '@imgate/common';
import { loadCometProto, loadLogicProto } from '@imgate/contracts';
import { apiHeaders, apiMetadata, bodyText, type Cluster, grpcError, metric, peerMetadata, post, ProtoClient, signHs256, startCluster } from '@imgate/testing';

const WRONG_SECRET = 'not-the-cluster-secret-4e1d8c0b7a3f9e2d6c5b';

describe('trust between roles: CLUSTER_SECRET', () => {
  let cluster: Cluster;
  let victim: ProtoClient;
  let victimKey: string;
  const Logic = loadLogicProto().imgate.logic.Logic;
  const Comet = loadCometProto().imgate.comet.Comet;
  let logic: InstanceType<typeof Logic>;
  let comet: InstanceType<typeof Comet>;

  before(async () => {
    cluster = await startCluster({ name: 'cluster-secret' });
    victim = await ProtoClient.ws(cluster.comets[0].wsUrl);
    victimKey = (await victim.auth({ token: await signHs256({ mid: 9201 }), accepts: [1000] })).key;
    logic = new Logic(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    comet = new Comet(`127.0.0.1:${cluster.comets[0].grpc}`, credentials.createInsecure());
  });
  after(async () => {
    victim?.close();
    logic?.close();
    comet?.close();
    await cluster?.stop();
  });

  it('an outsider cannot call comet Deliver, Kick or Broadcast: no proof, a wrong secret, or a comet’s role', async () => {
    const deliver = { items: [{ push: { keys: [victimKey], operation: 1000, body: Buffer.from('forged delivery') } }] };
    const attempts: Array<[string, Metadata | undefined, status]> = [
      ['no proof', undefined, status.UNAUTHENTICATED],
      ['the API key', apiMetadata(), status.UNAUTHENTICATED],
      ['a wrong secret', peerMetadata('job', '', WRONG_SECRET), status.UNAUTHENTICATED],
      ['a comet (not job or logic)', peerMetadata('comet', cluster.comets[0].id), status.PERMISSION_DENIED],
    ];
    for (const [what, md, code] of attempts) {
      assert.equal((await grpcError(callUnary(comet.Deliver, comet, deliver, 5_000, md))).code, code, `Deliver with ${what}`);
      assert.equal((await grpcError(callUnary(comet.Kick, comet, { keys: [victimKey], reason: 'forged' }, 5_000, md))).code, code, `Kick with ${what}`);
      assert.equal((await grpcError(callUnary(comet.Broadcast, comet, { operation: 1000, bodies: [Buffer.from('forged broadcast')] }, 5_000, md))).code, code, `Broadcast with ${what}`);
    }
    const stale = new Metadata();
    stale.set(PEER_METADATA, String(peerMetadata('job').get(PEER_METADATA)[0]).replace(/ (\d+) /, (_m, ts: string) => ` ${Number(ts) - 3600} `));
    assert.equal((await grpcError(callUnary(comet.Deliver, comet, deliver, 5_000, stale))).code, status.UNAUTHENTICATED, 'an altered timestamp');
    await victim.wait(500);
    assert.equal(victim.closed, false, 'the forged kick closed nothing');
    assert.ok(!victim.received.some((p) => /forged/.test(bodyText(p))), 'nothing forged reached the client');
    const url = `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
    assert.ok((await metric(url, 'imgate_comet_peer_refused_total', 'reason="no_proof"')) >= 6);
    assert.ok((await metric(url, 'imgate_comet_peer_refused_total', 'reason="bad_token"')) >= 4);
    assert.ok((await metric(url, 'imgate_comet_peer_refused_total', 'reason="wrong_role"')) >= 3);
  });

  it('job’s proof is accepted: the same Deliver reaches the client (the refusals above were not for the request)', async () => {
    const res = (await callUnary(comet.Deliver, comet, { items: [{ push: { keys: [victimKey], operation: 1000, body: Buffer.from('real delivery') } }] }, 5_000, peerMetadata('job'))) as { delivered: number };
    assert.equal(res.delivered, 1);
    assert.equal(bodyText(await victim.next((p) => p.op === 1000, 5_000)), 'real delivery');
  });

  it('an outsider cannot call logic as a comet, and a comet cannot act as another comet', async () => {
    const token = Buffer.from(JSON.stringify({ token: await signHs256({ mid: 9202 }), accepts: [1000] }));
    const other = cluster.comets[0].id;
    for (const md of [undefined, apiMetadata(), peerMetadata('comet', other, WRONG_SECRET)]) {
      assert.equal((await grpcError(callUnary(logic.Connect, logic, { server: other, token }, 5_000, md))).code, status.UNAUTHENTICATED);
      assert.equal((await grpcError(callUnary(logic.RenewOnline, logic, { server: other, roomCount: { 'live://inflated': 1_000_000 }, connCount: 1_000_000 }, 5_000, md))).code, status.UNAUTHENTICATED);
      assert.equal((await grpcError(callUnary(logic.Disconnect, logic, { server: other, mid: 9201, key: victimKey }, 5_000, md))).code, status.UNAUTHENTICATED);
    }
    // A member signed as comet "c-rogue" but naming the real comet in the request.
    const posing = await grpcError(callUnary(logic.Disconnect, logic, { server: other, mid: 9201, key: victimKey }, 5_000, peerMetadata('comet', 'c-rogue')));
    assert.equal(posing.code, status.PERMISSION_DENIED);
    assert.match(posing.details, /is not the caller's comet id "c-rogue"/);
    assert.equal((await grpcError(callUnary(logic.Connect, logic, { server: other, token }, 5_000, peerMetadata('job')))).code, status.PERMISSION_DENIED);

    // The victim's session survived every attempt: a push still finds it.
    const res = await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=9201`, 'still routed');
    assert.equal(res.status, 200);
    assert.equal(bodyText(await victim.next((p) => p.op === 1000 && bodyText(p) === 'still routed', 10_000)), 'still routed');
    const online = (await (await fetch(`${cluster.logic.url}/v1/online/total`, { headers: apiHeaders() })).json()) as { connections: number };
    assert.ok(online.connections < 1_000, `online counts were not inflated (${online.connections})`);
    const url = `http://127.0.0.1:${cluster.logic.http}/metrics`;
    assert.ok((await metric(url, 'imgate_logic_peer_refused_total', 'reason="no_proof"')) >= 6);
    assert.ok((await metric(url, 'imgate_logic_peer_refused_total', 'reason="wrong_comet"')) >= 1);
    assert.ok((await metric(url, 'imgate_logic_peer_refused_total', 'reason="wrong_role"')) >= 1);
  });
});
