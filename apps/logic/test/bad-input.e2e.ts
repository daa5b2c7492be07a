import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, status } from '@grpc/grpc-js';
import pino from 'pino';
import { callUnary } from '@imgate/common';
import { createRedis } from '@imgate/store';
import { loadCometProto, loadLogicProto } from '@imgate/contracts';
import { Op } from '@imgate/protocol';
import { apiHeaders, apiMetadata, bodyJson, bodyText, type Cluster, grpcError, metric, peerMetadata, post, ProtoClient, RoleProcess, signHs256, startCluster, testOutputDir } from '@imgate/testing';

describe('bad input on every interface', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({
      name: 'bad-input',
      // Sessions live 3 s (three heartbeats); comets renew them every second.
      env: { LOGIC_PUSH_MAX_BYTES: '1024', LOGIC_PUSH_MAX_RECEIVERS: '5', LOGIC_HEARTBEAT_SEC: '1', COMET_SESSION_REFRESH_MS: '1000' },
    });
  });
  after(async () => cluster?.stop());

  it('HTTP: goim paths answer 4xx with goim\'s error shape and a reason', async () => {
    const base = `${cluster.logic.url}/goim/push`;
    const cases: Array<[string, string, number, RegExp]> = [
      [`${base}/keys?keys=a`, 'x', 400, /operation is required/],
      [`${base}/keys?operation=abc&keys=a`, 'x', 400, /operation must be an integer/],
      [`${base}/keys?operation=7&keys=a`, 'x', 400, /not a business operation/],
      [`${base}/keys?operation=1000`, 'x', 400, /at least one receiver/],
      [`${base}/keys?operation=1000&keys=a%20b`, 'x', 400, /key "a b"/],
      [`${base}/keys?operation=1000&keys=1,2,3,4,5,6`, 'x', 400, /limit 5/],
      [`${base}/mids?operation=1000&mids=12x`, 'x', 400, /mids must hold integers/],
      [`${base}/mids?operation=1000&mids=0`, 'x', 400, /not a positive integer/],
      [`${base}/keys?operation=1000&keys=a`, 'x'.repeat(2_000), 413, /larger than the limit of 1024/],
    ];
    for (const [url, body, code, reason] of cases) {
      const res = await post(url, body);
      assert.equal(res.status, code, url);
      assert.equal(res.json.code, -400, url);
      assert.match(String(res.json.message), reason, url);
    }
  });

  it("HTTP: imgate's JSON API answers 4xx with {error:{code,message}}", async () => {
    const base = `${cluster.logic.url}/v1/push`;
    const cases: Array<[string, string | object, number, RegExp]> = [
      [`${base}/keys`, '{"op":1000,', 400, /not valid JSON/],
      [`${base}/keys`, { op: 1000, body: 'x' }, 400, /keys must be an array/],
      [`${base}/keys`, { op: 'x', keys: ['a'], body: 'x' }, 400, /op must be an integer/],
      [`${base}/keys`, { op: 1000, keys: ['a'] }, 400, /body .* is required/],
      [`${base}/keys`, { op: 1000, keys: ['a'], bodyBase64: '***' }, 400, /not base64/],
      [`${base}/mids`, { op: 1000, mids: ['1'], body: 'x' }, 400, /mids must be an array of integers/],
      [`${base}/mids`, [1, 2], 400, /JSON object/],
    ];
    for (const [url, body, code, reason] of cases) {
      const res = await post(url, body, 'application/json');
      assert.equal(res.status, code, JSON.stringify(body));
      const error = res.json.error as { code: string; message: string };
      assert.equal(error.code, 'bad_request');
      assert.match(error.message, reason);
    }
    const missing = await fetch(`${cluster.logic.url}/no/such/path`, { headers: apiHeaders() });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  it('gRPC: Logic and Comet reject malformed requests with INVALID_ARGUMENT or UNAUTHENTICATED', async () => {
    const Logic = loadLogicProto().imgate.logic.Logic;
    const logic = new Logic(`127.0.0.1:${cluster.logic.grpc}`, credentials.createInsecure());
    const Comet = loadCometProto().imgate.comet.Comet;
    const comet = new Comet(`127.0.0.1:${cluster.comets[0].grpc}`, credentials.createInsecure());
    try {
      let err = await grpcError(callUnary(logic.PushKeys, logic, { keys: ['a'], operation: 5, body: Buffer.from('x') }, 5_000, apiMetadata()));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      assert.match(err.details, /not a business operation/);
      err = await grpcError(callUnary(logic.PushMids, logic, { mids: [], operation: 1000, body: Buffer.from('x') }, 5_000, apiMetadata()));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      err = await grpcError(callUnary(logic.Connect, logic, { server: 'bad server id!', token: Buffer.from('{}') }, 5_000, peerMetadata('comet', 'c1')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      err = await grpcError(callUnary(logic.Connect, logic, { server: 'c1', token: Buffer.from('{"token":"x.y.z"}') }, 5_000, peerMetadata('comet', 'c1')));
      assert.equal(err.code, status.UNAUTHENTICATED);
      err = await grpcError(callUnary(logic.Connect, logic, { server: 'c1', token: Buffer.from([0xff, 0x00]) }, 5_000, peerMetadata('comet', 'c1')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      const many = Array.from({ length: 10_001 }, (_, i) => ({ mid: i, key: `k${i}` }));
      err = await grpcError(callUnary(logic.RenewSessions, logic, { server: 'c1', sessions: many }, 5_000, peerMetadata('comet', 'c1')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      assert.match(err.details, /at most 10000 sessions/);
      err = await grpcError(callUnary(logic.RenewSessions, logic, { server: 'c1', sessions: [{ mid: 1, key: 'ok' }, { mid: 2, key: '' }] }, 5_000, peerMetadata('comet', 'c1')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      assert.match(err.details, /sessions\[1\]/);
      err = await grpcError(callUnary(comet.PushKeys, comet, { keys: [], operation: 1000, body: Buffer.from('x') }, 5_000, peerMetadata('job')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      err = await grpcError(callUnary(comet.PushKeys, comet, { keys: ['k'], operation: 3, body: Buffer.from('x') }, 5_000, peerMetadata('job')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
      err = await grpcError(callUnary(comet.Kick, comet, {}, 5_000, peerMetadata('logic')));
      assert.equal(err.code, status.INVALID_ARGUMENT);
    } finally {
      logic.close();
      comet.close();
    }
    for (const proc of [cluster.logic.proc, cluster.comets[0].proc, cluster.job.proc]) assert.equal(proc.running, true, `${proc.name} still runs`);
  });

  it('comets renew the sessions of live clients in batches: a session outlives its 3 s expiry, and one lost from Redis is written again', async () => {
    const comet = `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
    const clients = await Promise.all([0, 1, 2].map(() => ProtoClient.ws(cluster.comets[0].wsUrl)));
    const ids = await Promise.all(clients.map(async (c, i) => c.auth({ token: await signHs256({ mid: 300 + i }), accepts: [1000] })));
    const redis = createRedis(cluster.env.REDIS_URL, pino({ level: 'silent' }));
    try {
      const connKey = (key: string) => `${cluster.env.REDIS_PREFIX}k:{${key}}`;
      await redis.del(connKey(ids[0].key));
      for (let i = 0; i < 10; i++) {
        for (const c of clients) c.send(Op.Heartbeat);
        await new Promise((r) => setTimeout(r, 500));
      }
      // 5 s in: without renewal every session would have expired after 3 s.
      for (const id of ids) assert.ok((await redis.ttl(connKey(id.key))) > 0, `session ${id.key} is still in Redis`);
      const res = await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=300&mids=301&mids=302`, 'still-here');
      assert.equal(res.status, 200);
      for (const c of clients) assert.equal(bodyText(await c.op(1000)), 'still-here');
      assert.ok((await metric(comet, 'imgate_comet_session_renewals_total', 'result="renewed"')) >= 6, 'renewals counted');
      assert.ok((await metric(comet, 'imgate_comet_session_renewals_total', 'result="restored"')) >= 1, 'the deleted session was written again');
    } finally {
      redis.disconnect();
      for (const c of clients) c.close();
    }
  });

  it('heartbeats keep a connection open; silence past the deadline closes it with a reason', async () => {
    const c = await ProtoClient.tcp(cluster.comets[0].tcp);
    const id = await c.auth({ token: await signHs256({ mid: 9 }), accepts: [1000] });
    assert.equal(id.heartbeat, 1);
    for (let i = 0; i < 8; i++) {
      c.send(Op.Heartbeat);
      await c.wait(500);
    }
    assert.equal(c.closed, false, 'a client that heartbeats stays connected past the deadline');
    assert.equal(c.received.filter((p) => p.op === Op.HeartbeatReply).length, 8);
    const silentFrom = Date.now();
    await c.closedPromise;
    const silent = Date.now() - silentFrom;
    assert.ok(silent >= 2_500 && silent < 6_000, `closed after ${silent} ms of silence`);
    assert.equal(bodyJson(c.received.at(-1)!).code, 'heartbeat_timeout');
  });

  it('config: a bad value stops a role at boot with one line naming the variable', async () => {
    const dir = testOutputDir('bad-config');
    const cases: Array<[ 'logic' | 'comet' | 'job', Record<string, string>, RegExp]> = [
      ['logic', { LOGIC_HTTP_PORT: '99999' }, /^invalid configuration: LOGIC_HTTP_PORT must be between 0 and 65535 \(got 99999\)$/],
      ['logic', { LOGIC_AUTH_MODE: 'jwt' }, /^invalid configuration: LOGIC_JWT_SECRET or LOGIC_JWT_PUBLIC_KEY, LOGIC_JWT_KEYS or LOGIC_JWT_JWKS_URL must be set/],
      ['logic', { LOGIC_AUTH_MODE: 'jwt', LOGIC_JWT_SECRET: 'short' }, /^invalid configuration: LOGIC_JWT_SECRET must be at least 32 characters/],
      ['comet', { COMET_BUCKETS: 'many' }, /^invalid configuration: COMET_BUCKETS must be an integer \(got "many"\)$/],
      ['comet', { REDIS_URL: 'http://x' }, /^invalid configuration: REDIS_URL must use redis:, rediss:, redis\+cluster: or rediss\+cluster:/],
      ['job', { KAFKA_BROKERS: 'nohost' }, /^invalid configuration: KAFKA_BROKERS must be host:port \(got "nohost"\)$/],
      ['job', { LOG_LEVEL: 'loud' }, /^invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    ];
    for (const [role, env, line] of cases) {
      const proc = new RoleProcess(`bad-${role}`, role, env, dir).start();
      const exit = await proc.exited();
      assert.equal(exit.code, 1, `${role} ${JSON.stringify(env)}`);
      const lines = proc.output.trim().split('\n');
      assert.equal(lines.length, 1, proc.output);
      assert.match(lines[0], line);
    }
  });
});
