// Strict tokens (docs/security.md, "Tokens"), against real processes: logic refuses tokens without
// exp, expired or too old ones; picks keys by kid (two at once while rotating) and from a JWKS
// served here over HTTP, picking up a key rotated on the JWKS server; a JWKS that is down makes the
// comet answer op 6 `unavailable` (retryable), so the SDK keeps trying and gets in once it is back.
// At boot, logic refuses weak or shipped secrets and dev auth without IMGATE_ALLOW_DEV_AUTH=1.
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { exportJWK, type JWK } from 'jose';
import { ImgateClient, ImgateError, type ReconnectingEvent } from '@imgate/sdk';
import { type Cluster, freePorts, keyPair, RoleProcess, signJwt, startCluster, startEmbedded, testClusterEnv, testOutputDir, waitFor } from '@imgate/testing';

const KID_A = randomBytes(32).toString('hex');
const KID_B = randomBytes(32).toString('hex');

/** A JWKS endpoint whose key set the test changes, stopped and started on the same port. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  private server?: Server;
  constructor(readonly port: number) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
  }
  async start(): Promise<void> {
    const server = createServer((_req, res) => {
      this.fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
    this.server = server;
  }
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

async function jwk(publicPem: string, kid: string, alg: string): Promise<JWK> {
  return { ...(await exportJWK(createPublicKey(publicPem))), kid, alg, use: 'sig' };
}

/** What the SDK does with a token: the connection it gets, or the error it ends with (within 10 s). */
async function attempt(wsUrl: string, token: string): Promise<{ mid: number } | ImgateError> {
  const client = new ImgateClient({ nodes: [wsUrl], token, watchNetwork: false });
  const timer = setTimeout(() => client.close(), 10_000);
  try {
    const c = await client.connect();
    return { mid: c.mid };
  } catch (err) {
    if (err instanceof ImgateError) return err;
    throw err;
  } finally {
    clearTimeout(timer);
    client.close();
  }
}

async function refused(wsUrl: string, token: Promise<string>, reason: RegExp): Promise<void> {
  const r = await attempt(wsUrl, await token);
  assert.ok(r instanceof ImgateError, `accepted: ${JSON.stringify(r)}`);
  assert.equal(r.code, 'auth_failed', r.message);
  assert.match(r.message, reason);
}

/** Starts a lone logic that must refuse to boot; returns its one line of output. */
async function bootRefusal(name: string, env: Record<string, string>): Promise<string> {
  const base = testClusterEnv(name).env;
  const [http, grpc] = await freePorts(2);
  const proc = new RoleProcess(name, 'logic', { ...base, LOGIC_HTTP_PORT: String(http), LOGIC_GRPC_ADDR: `127.0.0.1:${grpc}`, ...env }, testOutputDir('strict-tokens')).start();
  const { code } = await proc.exited();
  assert.equal(code, 1, `${name} exited ${code}:\n${proc.output}`);
  const lines = proc.output.trim().split('\n');
  assert.equal(lines.length, 1, proc.output);
  return lines[0];
}

describe('strict tokens', () => {
  let cluster: Cluster;
  let jwks: JwksServer;
  let wsUrl: string;
  const rsa1 = keyPair('rsa');
  const ec2 = keyPair('ec');

  before(async () => {
    const [port] = await freePorts(1);
    jwks = new JwksServer(port);
    jwks.keys = [await jwk(rsa1.publicPem, 'jwks-1', 'RS256')];
    await jwks.start();
    cluster = await startCluster({
      name: 'strict-tokens',
      env: {
        LOGIC_JWT_KEYS: `kid-a=hs256:${KID_A},kid-b=hs256:${KID_B}`,
        LOGIC_JWT_JWKS_URL: jwks.url,
        // Short, so the test sees a rotation and an outage within seconds.
        LOGIC_JWT_JWKS_CACHE_SEC: '2',
        LOGIC_JWT_JWKS_COOLDOWN_SEC: '1',
        LOGIC_JWT_JWKS_TIMEOUT_MS: '1000',
        LOGIC_JWT_MAX_AGE_SEC: '3600',
        LOGIC_JWT_CLOCK_SKEW_SEC: '5',
      },
    });
    wsUrl = cluster.comets[0].wsUrl;
  });
  after(async () => {
    await cluster?.stop();
    await jwks?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);

  it('refuses a token without exp, an expired one and one older than LOGIC_JWT_MAX_AGE_SEC (op 6 auth_failed, the SDK stops)', async () => {
    await refused(wsUrl, signJwt({ mid: 11 }, { alg: 'HS256', key: KID_A, kid: 'kid-a', exp: null }), /^token has no exp$/);
    await refused(wsUrl, signJwt({ mid: 11 }, { alg: 'HS256', key: KID_A, kid: 'kid-a', iat: now() - 600, exp: now() - 60 }), /^token expired$/);
    await refused(wsUrl, signJwt({ mid: 11 }, { alg: 'HS256', key: KID_A, kid: 'kid-a', iat: now() - 7200, exp: now() + 600 }), /^token is too old: issued 7\d{3} s ago, LOGIC_JWT_MAX_AGE_SEC is 3600$/);
    await refused(wsUrl, signJwt({ mid: 11 }, { alg: 'HS256', key: KID_A, kid: 'kid-a', iat: null, exp: now() + 600 }), /^token has no iat \(LOGIC_JWT_MAX_AGE_SEC needs it\)$/);
    const ok = await attempt(wsUrl, await signJwt({ mid: 11 }, { alg: 'HS256', key: KID_A, kid: 'kid-a' }));
    assert.deepEqual(ok, { mid: 11 });
  });

  it('kid rotation: tokens of both kids are accepted; an unknown kid, or a kid with the other kid’s secret, is refused', async () => {
    assert.deepEqual(await attempt(wsUrl, await signJwt({ mid: 21 }, { alg: 'HS256', key: KID_A, kid: 'kid-a' })), { mid: 21 });
    assert.deepEqual(await attempt(wsUrl, await signJwt({ mid: 22 }, { alg: 'HS256', key: KID_B, kid: 'kid-b' })), { mid: 22 });
    await refused(wsUrl, signJwt({ mid: 23 }, { alg: 'HS256', key: KID_A, kid: 'kid-old' }), /^token key id "kid-old" is not one of LOGIC_JWT_KEYS \(kid-a, kid-b\)$/);
    await refused(wsUrl, signJwt({ mid: 23 }, { alg: 'HS256', key: KID_A, kid: 'kid-b' }), /signature verification failed/);
  });

  it('JWKS: accepts its key, picks up a key rotated on the JWKS server, refuses a key it does not hold', async () => {
    assert.deepEqual(await attempt(wsUrl, await signJwt({ mid: 31 }, { alg: 'RS256', key: rsa1.privatePem, kid: 'jwks-1' })), { mid: 31 });
    await refused(wsUrl, signJwt({ mid: 32 }, { alg: 'ES256', key: ec2.privatePem, kid: 'jwks-2' }), /no key of the JWKS matches the token \(kid "jwks-2", ES256\)/);
    // The issuer rotates: the new key is published, the old one stays until its tokens expire.
    jwks.keys = [await jwk(ec2.publicPem, 'jwks-2', 'ES256'), ...jwks.keys];
    const fetched = jwks.fetches;
    await waitFor(async () => !((await attempt(wsUrl, await signJwt({ mid: 32 }, { alg: 'ES256', key: ec2.privatePem, kid: 'jwks-2' }))) instanceof ImgateError), 10_000, 'the rotated key is used');
    assert.ok(jwks.fetches > fetched, 'logic fetched the JWKS again');
    assert.deepEqual(await attempt(wsUrl, await signJwt({ mid: 33 }, { alg: 'RS256', key: rsa1.privatePem, kid: 'jwks-1' })), { mid: 33 });
    // A key from elsewhere under a published kid fails the signature.
    await refused(wsUrl, signJwt({ mid: 34 }, { alg: 'RS256', key: keyPair('rsa').privatePem, kid: 'jwks-1' }), /signature verification failed/);
  });

  it('JWKS down: the client sees a retryable `unavailable`, the SDK keeps retrying and gets in when it is back; kid keys keep working', async () => {
    const token = await signJwt({ mid: 41 }, { alg: 'RS256', key: rsa1.privatePem, kid: 'jwks-1' });
    await jwks.stop();
    // The cached set expires (LOGIC_JWT_JWKS_CACHE_SEC=2): the next check must fetch and cannot.
    await new Promise((r) => setTimeout(r, 2_500));
    const client = new ImgateClient({ nodes: [wsUrl], token, watchNetwork: false, backoff: { baseMs: 200, capMs: 500 } });
    const retries: ReconnectingEvent[] = [];
    client.on('reconnecting', (e) => retries.push(e));
    try {
      const connected = client.connect();
      connected.catch(() => undefined);
      await waitFor(() => retries.length >= 3, 15_000, 'three retries while the JWKS is down');
      for (const r of retries) assert.match(r.reason, /auth service unavailable \(JWKS http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json could not be fetched/);
      assert.equal(client.connection, undefined);
      // Tokens verified with local keys do not depend on the JWKS.
      assert.deepEqual(await attempt(wsUrl, await signJwt({ mid: 42 }, { alg: 'HS256', key: KID_B, kid: 'kid-b' })), { mid: 42 });
      await jwks.start();
      const c = await connected;
      assert.equal(c.mid, 41);
    } finally {
      client.close();
    }
  });
});

describe('strict tokens at boot', () => {
  it('a weak or shipped secret stops logic with one line naming the variable', async () => {
    assert.match(await bootRefusal('logic-shipped-secret', { LOGIC_JWT_SECRET: 'imgate-compose-demo-secret-NOT-FOR-PRODUCTION' }), /^invalid configuration: LOGIC_JWT_SECRET is an example value shipped with imgate/);
    assert.match(await bootRefusal('logic-weak-secret', { LOGIC_JWT_SECRET: 'aaaaaaaabbbbbbbbccccccccdddddddd' }), /^invalid configuration: LOGIC_JWT_SECRET has too few distinct characters/);
    assert.match(await bootRefusal('logic-weak-kid', { LOGIC_JWT_KEYS: `new=hs256:${KID_A},old=hs256:changeme-changeme-changeme-changeme-2026` }), /^invalid configuration: LOGIC_JWT_KEYS key "old" looks like a placeholder/);
    assert.match(await bootRefusal('logic-weak-cluster', { CLUSTER_SECRET: 'secret-secret-secret-secret-secret' }), /^invalid configuration: CLUSTER_SECRET /);
  });

  it('dev auth without IMGATE_ALLOW_DEV_AUTH=1 stops logic at boot', async () => {
    assert.match(await bootRefusal('logic-dev-auth', { LOGIC_AUTH_MODE: 'dev' }), /^invalid configuration: LOGIC_AUTH_MODE is dev, .*refused unless IMGATE_ALLOW_DEV_AUTH=1/);
  });
});

describe('embedded default with dev auth', () => {
  /** An address of this machine that is not loopback, if it has one. */
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  const reachable = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const s = connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
      s.setTimeout(2_000, () => {
        s.destroy();
        resolve(false);
      });
    });

  it('serves clients on loopback only, and refuses to boot with COMET_LISTEN_HOST=0.0.0.0', async () => {
    const app = await startEmbedded('strict-tokens-embedded');
    try {
      assert.match(app.proc.output, /dev auth: client listeners on 127\.0\.0\.1 only/);
      assert.equal(await reachable('127.0.0.1', app.tcp), true);
      assert.equal(await reachable('127.0.0.1', app.ws), true);
      if (outside) {
        assert.equal(await reachable(outside, app.tcp), false, `TCP answers on ${outside}`);
        assert.equal(await reachable(outside, app.ws), false, `WebSocket answers on ${outside}`);
      }
    } finally {
      await app.stop();
    }
    await assert.rejects(startEmbedded('strict-tokens-embedded-open', { COMET_LISTEN_HOST: '0.0.0.0' }), /invalid configuration: COMET_LISTEN_HOST must be a loopback address while the embedded default runs dev auth/);
  });
});
