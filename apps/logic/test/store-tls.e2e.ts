// Issue 12 point 3, the store half: Redis over TLS (`rediss://`, a private CA, a client certificate
// and an ACL user in the URL; one server and a Redis Cluster) and Kafka over SASL_SSL (SCRAM and
// PLAIN over TLS, the password from a mounted file), each a private server this test starts with
// certificates it makes (never the shared 6379 or the shared Kafka). Logic, comet and job run
// against them as separate processes and a push reaches a client; a wrong CA, a wrong Redis or
// Kafka password leave the role unready with the reason.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bodyText, makeTestPki, post, PrivateKafka, ProtoClient, type RoleHandle, RoleSet, signHs256, testClusterEnv, type TestPki, TlsRedis, testOutputDir, waitFor } from '@imgate/testing';

const KAFKA_USER = 'imgate';
const KAFKA_PASSWORD = 'kafka-scram-pw-7f3a9c1e5b';
// Characters that must be percent-encoded in the URL: the ACL login has to survive them.
const REDIS_USER = { name: 'imgate-app', password: 'r3d!s p@ss/w0rd:x' };

describe('store TLS: rediss:// (single and cluster) and Kafka SASL_SSL', () => {
  let pki: TestPki;
  let rogue: TestPki;
  let redis: TlsRedis;
  let redisCluster: TlsRedis;
  let kafka: PrivateKafka;
  let env: Record<string, string>;
  const sets: RoleSet[] = [];
  const clients: ProtoClient[] = [];
  const roleSet = (name: string, extra: Record<string, string> = {}) => {
    const s = new RoleSet(`store-tls-${name}`, { ...env, ...extra });
    sets.push(s);
    return s;
  };

  before(async () => {
    const dir = testOutputDir('store-tls');
    pki = makeTestPki(join(dir, 'pki'));
    rogue = makeTestPki(join(dir, 'rogue-pki'), 'rogue CA');
    const client = pki.issue('imgate-client');
    const passwordFile = join(dir, 'kafka-password');
    writeFileSync(passwordFile, `${KAFKA_PASSWORD}\n`, { mode: 0o600 });
    const started = Date.now();
    kafka = await PrivateKafka.create({ saslSsl: { server: pki.server, users: { [KAFKA_USER]: KAFKA_PASSWORD } } });
    [redis, redisCluster] = await Promise.all([
      TlsRedis.start({ server: pki.server, ca: pki.ca, user: REDIS_USER }, dir),
      TlsRedis.start({ server: pki.server, ca: pki.ca, user: REDIS_USER, clusterMasters: 3 }, dir),
      kafka.up(),
    ]);
    console.log(`private TLS redis, 3-master TLS redis cluster and SASL_SSL kafka up in ${Date.now() - started} ms`);
    env = testClusterEnv('store-tls', {
      REDIS_URL: redis.url,
      REDIS_TLS_CA: pki.ca,
      REDIS_TLS_CERT: client.cert,
      REDIS_TLS_KEY: client.key,
      KAFKA_BROKERS: kafka.saslSslBrokers,
      KAFKA_SSL: '1',
      KAFKA_SSL_CA: pki.ca,
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: KAFKA_USER,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    }).env;
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(sets.map((s) => s.stop()));
    await Promise.all([redis?.stop(), redisCluster?.stop(), kafka?.down()]);
  });

  async function pushReachesClient(logic: RoleHandle & { url: string }, wsUrl: string, mid: number, text: string): Promise<void> {
    const client = await ProtoClient.ws(wsUrl);
    clients.push(client);
    await client.auth({ token: await signHs256({ mid }), accepts: [1000] });
    const res = await post(`${logic.url}/goim/push/mids?operation=1000&mids=${mid}`, text);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(bodyText(await client.next((p) => p.op === 1000, 20_000)), text);
  }

  it('logic, comet and job over rediss:// (CA, client certificate, ACL user) and Kafka SASL_SSL deliver a push; job logs in with PLAIN, logic with SCRAM', async () => {
    const roles = roleSet('single');
    const logic = await roles.logic();
    await logic.ready(30_000);
    const comet = await roles.comet('comet-tls-1', logic.grpc);
    // PLAIN over TLS for job (the password crosses the wire, inside TLS), SCRAM-SHA-256 for logic.
    const job = await roleSet('single-job', { KAFKA_SASL_MECHANISM: 'plain' }).job();
    await Promise.all([comet.ready(30_000), job.ready(60_000)]);
    const body = (await logic.readiness()).body;
    assert.deepEqual([body.checks?.redis, body.checks?.kafka], [true, true]);
    await pushReachesClient(logic, comet.wsUrl, 9401, 'over rediss and SASL_SSL');
    // The session really sits in the TLS Redis, under the run's prefix, written through the ACL user.
    const keys = await redis.cli(redis.ports[0], '--scan', '--pattern', `${env.REDIS_PREFIX}*`);
    assert.ok(keys.trim().split('\n').length > 0 && keys.includes(env.REDIS_PREFIX), `keys in the TLS redis: ${keys}`);
  });

  it('the same over a 3-master Redis Cluster on TLS (rediss+cluster://, TLS cluster bus)', async () => {
    const roles = roleSet('cluster', { REDIS_URL: redisCluster.url, KAFKA_PUSH_TOPIC: `${env.KAFKA_PUSH_TOPIC}-c`, JOB_GROUP_ID: `${env.JOB_GROUP_ID}-c` });
    const logic = await roles.logic();
    await logic.ready(30_000);
    const comet = await roles.comet('comet-tls-c1', logic.grpc);
    const job = await roles.job();
    await Promise.all([comet.ready(30_000), job.ready(60_000)]);
    await pushReachesClient(logic, comet.wsUrl, 9402, 'over rediss+cluster');
    // Keys landed on more than one master: the client followed the slot map to every node over TLS.
    const perNode = await Promise.all(redisCluster.ports.map((p) => redisCluster.cli(p, 'DBSIZE')));
    assert.ok(perNode.filter((n) => Number(n.trim()) > 0).length >= 2, `keys per master: ${perNode.map((n) => n.trim()).join(', ')}`);
  });

  it('a wrong CA, a wrong Redis password or a wrong Kafka password: the role stays up, unready, and says why', async () => {
    const logicRogueCa = await roleSet('rogue-ca', { REDIS_TLS_CA: rogue.ca, KAFKA_SSL_CA: rogue.ca }).logic();
    const logicBadRedisPw = await roleSet('bad-redis-pw', { REDIS_URL: redis.url.replace(encodeURIComponent(REDIS_USER.password), 'not-the-password') }).logic();
    const jobBadKafkaPw = await roleSet('bad-kafka-pw', { KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: 'not-the-password' }).job();
    // Polls /health/ready until the reasons match; a fetch that fails on this loaded machine says nothing.
    const reasonsWhen = async (h: RoleHandle, match: (r: Record<string, string>) => boolean, what: string): Promise<Record<string, string>> => {
      let last: Record<string, string> = {};
      await waitFor(async () => {
        const r = await h.readiness().catch(() => undefined);
        if (!r) return false;
        assert.equal(r.status, 503);
        last = r.body.reasons ?? {};
        return match(last);
      }, 60_000, what).catch((err: Error) => assert.fail(`${err.message}; last reasons: ${JSON.stringify(last)}`));
      return last;
    };
    const [rogueCa, redisPw, kafkaPw] = await Promise.all([
      reasonsWhen(logicRogueCa, (r) => /certificate/i.test(r.redis ?? '') && /certificate/i.test(r.kafka ?? ''), 'logic with the rogue CA to say why Redis and Kafka are refused'),
      reasonsWhen(logicBadRedisPw, (r) => /WRONGPASS|invalid username-password/i.test(r.redis ?? ''), 'a wrong Redis password to be the reason'),
      reasonsWhen(jobBadKafkaPw, (r) => /SASL SCRAM SHA256 authentication failed/i.test(r.kafka ?? ''), 'a wrong Kafka password to be the reason'),
    ]);
    console.log(`rogue CA → redis: ${rogueCa.redis}; kafka: ${rogueCa.kafka}`);
    console.log(`wrong redis password → ${redisPw.redis}`);
    console.log(`wrong kafka password → ${kafkaPw.kafka}`);
    for (const h of [logicRogueCa, logicBadRedisPw, jobBadKafkaPw]) assert.ok(h.proc.running, `${h.name} keeps running`);
    // A logic that cannot verify its stores refuses pushes (503) rather than losing them.
    const refused = await post(`${logicRogueCa.url}/goim/push/mids?operation=1000&mids=1`, 'x');
    assert.equal(refused.status, 503);
  });
});
