// Push-plane authentication (docs/security.md, "Push plane"): logic's push/online/admin API over
// HTTP and gRPC needs one of LOGIC_API_KEYS; browser-style requests are refused. Separate
// processes on the real Redis and Kafka, a client on the wire protocol receiving what got through.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { callUnary } from '@imgate/common';
import { loadLogicProto } from '@imgate/contracts';
import { apiHeaders, apiMetadata, bodyText, type Cluster, grpcError, metric, post, ProtoClient, RoleProcess, signHs256, startCluster, TEST_API_KEY, testOutputDir, waitHttpOk } from '@imgate/testing';

/** The key being rotated in; TEST_API_KEY is the one rotated out at the end. */
const NEW_KEY = 'rotated-in-key-7c2f9e1a4b8d3f6e0a5c9b2d7e1f4a8c';

describe('push plane: API keys on logic’s HTTP and gRPC API', () => {
  let cluster: Cluster;
  let client: ProtoClient;
  let logic: RoleProcess | undefined;
  let logicUrl: string;
  const mid = 9101;
  const pushPath = `/goim/push/mids?operation=1000&mids=${mid}`;
  const expectPush = async (text: string) => assert.equal(bodyText(await client.next((p) => p.op === 1000 && bodyText(p) === text, 10_000)), text);

  before(async () => {
    cluster = await startCluster({ name: 'push-plane', env: { LOGIC_API_KEYS: `${TEST_API_KEY},${NEW_KEY}` } });
    logicUrl = cluster.logic.url;
    client = await ProtoClient.ws(cluster.comets[0].wsUrl);
    await client.auth({ token: await signHs256({ mid }), accepts: [1000] });
  });
  after(async () => {
    client?.close();
    await logic?.stop();
    await cluster?.stop();
  });

  it('HTTP: no key → 401 missing_key, a wrong key → 401 bad_key, and nothing is pushed; either of two keys pushes', async () => {
    const none = await post(`${logicUrl}${pushPath}`, 'no key', 'text/plain', {});
    assert.equal(none.status, 401);
    assert.deepEqual({ code: none.json.code, reason: none.json.reason }, { code: -401, reason: 'missing_key' });
    const wrong = await post(`${logicUrl}${pushPath}`, 'wrong key', 'text/plain', apiHeaders(`${TEST_API_KEY}0`));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.reason, 'bad_key');
    const v1 = await post(`${logicUrl}/v1/push/mids`, { mids: [mid], op: 1000, body: 'v1 no key' }, undefined, { Authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(v1.status, 401);
    assert.deepEqual(v1.json.error, { code: 'unauthenticated', message: 'Authorization must be "Bearer <key>"', reason: 'bad_key' });

    assert.equal((await post(`${logicUrl}${pushPath}`, 'with the old key')).status, 200);
    assert.equal((await post(`${logicUrl}${pushPath}`, 'with the new key', 'text/plain', apiHeaders(NEW_KEY))).status, 200);
    await expectPush('with the old key');
    await expectPush('with the new key');
    await client.wait(500);
    const texts = client.received.filter((p) => p.op === 1000).map(bodyText);
    assert.deepEqual(texts, ['with the old key', 'with the new key'], 'refused pushes reached nobody');
  });

  it('HTTP: online, delivery and unknown paths need the key; health, metrics and the node list do not', async () => {
    for (const path of ['/goim/online/total', '/v1/online/total', '/goim/online/top?type=live', `/v1/users/${mid}/delivery`, '/no/such/path']) {
      assert.equal((await fetch(`${logicUrl}${path}`)).status, 401, path);
      assert.notEqual((await fetch(`${logicUrl}${path}`, { headers: apiHeaders() })).status, 401, path);
    }
    for (const path of ['/health/live', '/health/ready', '/metrics', '/goim/nodes/weighted', '/v1/nodes']) assert.equal((await fetch(`${logicUrl}${path}`)).status, 200, path);
  });

  it('HTTP: a browser-style text/plain POST with an Origin is refused, preflights get no CORS headers', async () => {
    const csrf = await fetch(`${logicUrl}/goim/push/all?operation=1000`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example.net' }, body: 'from a web page' });
    assert.equal(csrf.status, 403);
    assert.equal(((await csrf.json()) as { reason: string }).reason, 'browser_origin');
    assert.equal(csrf.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${logicUrl}/v1/push/all`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    await client.wait(500);
    assert.ok(!client.received.some((p) => bodyText(p) === 'from a web page'), 'the page’s push reached nobody');
  });

  it('gRPC: push and read methods need authorization metadata', async () => {
    const Logic = loadLogicProto().imgate.logic.Logic;
    const grpc = new Logic(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    try {
      const req = { mids: [mid], operation: 1000, body: Buffer.from('over gRPC') };
      let err = await grpcError(callUnary(grpc.PushMids, grpc, req, 5_000));
      assert.equal(err.code, status.UNAUTHENTICATED);
      assert.match(err.details, /API key is required/);
      const bad = new Metadata();
      bad.set('authorization', `Bearer ${NEW_KEY}x`);
      err = await grpcError(callUnary(grpc.PushAll, grpc, { operation: 1000, body: Buffer.from('x') }, 5_000, bad));
      assert.equal(err.code, status.UNAUTHENTICATED);
      err = await grpcError(callUnary(grpc.Delivery, grpc, { mid }, 5_000));
      assert.equal(err.code, status.UNAUTHENTICATED);
      const ok = (await callUnary(grpc.PushMids, grpc, req, 5_000, apiMetadata(NEW_KEY))) as { id: string };
      assert.match(String(ok.id), /^[1-9]\d*$/);
      await expectPush('over gRPC');
    } finally {
      grpc.close();
    }
    const url = `http://127.0.0.1:${cluster.logic.http}/metrics`;
    assert.ok((await metric(url, 'imgate_logic_api_refused_total', 'transport="http",reason="missing_key"')) >= 6);
    assert.ok((await metric(url, 'imgate_logic_api_refused_total', 'transport="http",reason="browser_origin"')) >= 1);
    assert.ok((await metric(url, 'imgate_logic_api_refused_total', 'transport="grpc",reason="missing_key"')) >= 2);
    assert.ok((await metric(url, 'imgate_logic_api_refused_total', 'transport="grpc",reason="bad_key"')) >= 1);
  });

  it('rotation: logic restarted with only the new key refuses the rotated-out key and keeps serving', async () => {
    await cluster.logic.proc.stop();
    logic = new RoleProcess('logic-rotated', 'logic', { ...cluster.logic.proc.env, LOGIC_API_KEYS: NEW_KEY }, testOutputDir('push-plane')).start();
    await waitHttpOk(`${logicUrl}/health/ready`, 60_000, logic);
    const old = await post(`${logicUrl}${pushPath}`, 'rotated out');
    assert.equal(old.status, 401);
    assert.equal(old.json.reason, 'bad_key');
    // The comet re-registers its sessions with the new logic process through Redis; the client stays.
    const res = await post(`${logicUrl}${pushPath}`, 'after rotation', 'text/plain', apiHeaders(NEW_KEY));
    assert.equal(res.status, 200, JSON.stringify(res.json));
    await expectPush('after rotation');
    assert.ok(!client.received.some((p) => bodyText(p) === 'rotated out'));
  });

  it('boot: no keys, a short key or a placeholder stops logic with one line naming LOGIC_API_KEYS', async () => {
    const dir = testOutputDir('push-plane');
    const base = { LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', CLUSTER_SECRET: cluster.env.CLUSTER_SECRET };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /^invalid configuration: LOGIC_API_KEYS must be set: .*LOGIC_API_AUTH=none/],
      [{ LOGIC_API_KEYS: `${NEW_KEY},short` }, /^invalid configuration: LOGIC_API_KEYS key 2 of 2 must be at least 32 characters \(got 5\)/],
      [{ LOGIC_API_KEYS: 'REPLACE-ME-with-a-random-key-0123456789' }, /^invalid configuration: LOGIC_API_KEYS key 1 of 1 looks like a placeholder/],
      [{ LOGIC_API_KEYS: NEW_KEY, CLUSTER_SECRET: '' }, /^invalid configuration: CLUSTER_SECRET must be set/],
    ];
    for (const [env, line] of cases) {
      const proc = new RoleProcess('logic-bad-keys', 'logic', { ...base, ...env }, dir).start();
      assert.equal((await proc.exited()).code, 1, JSON.stringify(env));
      const lines = proc.output.trim().split('\n');
      assert.equal(lines.length, 1, proc.output);
      assert.match(lines[0], line);
    }
  });
});
