// The deployment files, checked offline: docker-compose.yml through `docker-compose config`,
// k8s/base rendered like kustomize and validated against the Kubernetes schemas
// (kubernetes-models), the Dockerfile's stages, and the Grafana dashboard's metric names.
// Every role's environment in compose and k8s is fed through that role's real config loader, so a
// value the process would refuse at boot fails here first.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { createMetricsRegistry, Env, type InfraConfig } from '@imgate/common';
import { makeTestPki, repoRoot, testOutputDir } from '@imgate/testing';
import { loadCometConfig } from '@imgate/comet';
import { loadJobConfig } from '@imgate/job';
import { loadLogicConfig } from '../src/logic.config';

type Obj = Record<string, unknown>;
type Role = 'logic' | 'job' | 'comet';

const root = repoRoot();

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) assert.fail(`${what} must be a mapping (got ${JSON.stringify(v)})`);
  return v;
}
function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) assert.fail(`${what} must be a list (got ${JSON.stringify(v)})`);
  return v;
}
function text(v: unknown, what: string): string {
  if (typeof v !== 'string') assert.fail(`${what} must be a string (got ${JSON.stringify(v)})`);
  return v;
}
/** Walks a path of keys; undefined where it leads nowhere. */
function dig(v: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((at, k) => (isObj(at) ? at[k] : undefined), v);
}
const words = (v: unknown): string => (Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : '');

/** What a role listens on and which shared settings it runs with, read by its own config loader. */
interface RoleSetup {
  infra: InfraConfig;
  /** wss and tls: the comet's client-TLS listeners, when COMET_TLS_CERT/KEY are set. */
  ports: { http: number; grpc?: number; tcp?: number; ws?: number; kcp?: number; wss?: number; tls?: number };
  publicPorts?: { tcp: number; ws: number; kcp: number; wss?: number; tls?: number };
}
const tcpPorts = (s: RoleSetup): number[] => [s.ports.http, s.ports.grpc, s.ports.tcp, s.ports.ws, s.ports.wss, s.ports.tls].filter((p): p is number => p !== undefined);
const udpPorts = (s: RoleSetup): number[] => (s.ports.kcp === undefined ? [] : [s.ports.kcp]);

function loadRole(role: Role, vars: Record<string, string>, where: string): RoleSetup {
  const env = new Env(vars);
  try {
    if (role === 'logic') {
      const c = loadLogicConfig(env);
      return { infra: c.infra, ports: { http: c.httpPort, grpc: Number(c.grpcAddress.split(':').pop()) } };
    }
    if (role === 'job') {
      const c = loadJobConfig(env);
      return { infra: c.infra, ports: { http: c.httpPort } };
    }
    const c = loadCometConfig(env, 'deploy-test');
    return {
      infra: c.infra,
      ports: { http: c.httpPort, grpc: c.grpcPort, tcp: c.tcpPort, ws: c.wsPort, kcp: c.kcp.port, wss: c.tls?.wssPort, tls: c.tls?.tlsPort },
      publicPorts: { ...c.publicPorts, wss: c.tls?.publicWssPort, tls: c.tls?.publicTlsPort },
    };
  } catch (err) {
    assert.fail(`${where}: the ${role} would refuse to boot: ${(err as Error).message}`);
  }
}

/**
 * Stand-ins for the secrets the files take by reference only (compose: .env; k8s: the Secret
 * imgate-keys, created outside the manifests), as an operator's would be.
 */
const SECRETS = { LOGIC_API_KEYS: randomBytes(32).toString('hex'), CLUSTER_SECRET: randomBytes(32).toString('hex') };
const JWT_SECRET = randomBytes(32).toString('hex');
const EXTERNAL_SECRETS: Record<string, Record<string, string>> = { 'imgate-keys': { ...SECRETS, LOGIC_JWT_SECRET: JWT_SECRET } };

/** Stand-ins for the client TLS certificate and key the files mount from a Secret (k8s) or Compose secrets. */
const TLS_STAND_IN = makeTestPki(join(testOutputDir('deploy'), 'tls-pki')).server;
const EXTERNAL_FILE_SECRETS: Record<string, Record<string, string>> = { 'imgate-comet-tls': { 'tls.crt': TLS_STAND_IN.cert, 'tls.key': TLS_STAND_IN.key } };

/** A role's settings with nothing else configured (logic in dev auth, which needs no JWT secret). */
const defaults = (role: Role): RoleSetup => loadRole(role, { LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', ...SECRETS }, `${role} defaults`);

/** The role a command runs (dist/apps/<role>/src/main.js), which must exist in the build. */
function roleOf(command: unknown, where: string): Role | 'embedded' {
  const script = list(command, `${where} command`).find((a): a is string => typeof a === 'string' && a.startsWith('dist/'));
  const m = /^dist\/apps\/(logic|job|comet|embedded)\/src\/main\.js$/.exec(script ?? '');
  if (!m) assert.fail(`${where} must run dist/apps/<role>/src/main.js (got ${JSON.stringify(command)})`);
  assert.ok(existsSync(join(root, m[0])), `${where} runs ${m[0]}, which the build does not produce`);
  return m[1] as Role | 'embedded';
}

// ---------------------------------------------------------------- Dockerfile

interface Stage {
  name: string;
  instructions: Array<{ op: string; args: string }>;
}

function dockerStages(): Stage[] {
  const stages: Stage[] = [];
  let line = '';
  for (const raw of readFileSync(join(root, 'Dockerfile'), 'utf8').split('\n')) {
    const t = raw.trim();
    if (t.startsWith('#') || (t === '' && line === '')) continue;
    if (t.endsWith('\\')) {
      line += `${t.slice(0, -1)} `;
      continue;
    }
    const [op, ...rest] = (line + t).trim().split(/\s+/);
    line = '';
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length), instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** The numeric user the image runs as (USER uid[:gid]). */
function imageUser(): string {
  const user = dockerStages().at(-1)?.instructions.filter((i) => i.op === 'USER').at(-1)?.args ?? 'root';
  return user.split(':')[0];
}

describe('Dockerfile', () => {
  const stages = dockerStages();
  const final = stages.at(-1)?.instructions ?? [];
  const all = (op: string) => final.filter((i) => i.op === op);

  it('builds in one stage and runs in another', () => {
    assert.ok(stages.length >= 2, 'the Dockerfile must be multi-stage');
    const build = stages.slice(0, -1).flatMap((s) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args)).join('\n');
    for (const step of ['npm ci', 'npm run build', 'npm prune --omit=dev']) assert.ok(build.includes(step), `no build stage runs "${step}"`);
  });

  it('runs as a numeric non-root user', () => {
    assert.ok(all('USER').length > 0, 'the final stage sets no USER');
    assert.match(imageUser(), /^\d+$/, 'USER must be numeric so Kubernetes runAsNonRoot can verify it');
    assert.notEqual(imageUser(), '0', 'USER must not be root');
  });

  it('copies only build output into the final stage', () => {
    const earlier = new Set(stages.slice(0, -1).map((s) => s.name));
    assert.equal(final.filter((i) => i.op === 'ADD').length, 0, 'no ADD in the final stage');
    const copies = all('COPY');
    assert.ok(copies.length > 0);
    for (const { args } of copies) {
      const tokens = args.split(/\s+/);
      const from = tokens.find((t) => t.startsWith('--from='))?.slice('--from='.length);
      assert.ok(from && earlier.has(from), `final-stage COPY must come from a build stage: COPY ${args}`);
      for (const src of tokens.filter((t) => !t.startsWith('--')).slice(0, -1)) {
        assert.match(src, /^\/app\/(dist|node_modules|proto|package\.json)\/?$/, `final stage copies ${src}, which is not build output`);
      }
    }
  });

  it('runs node with the embedded default as its command, exposes every port and has no HEALTHCHECK', () => {
    assert.deepEqual(JSON.parse(all('ENTRYPOINT').at(-1)?.args ?? 'null'), ['node']);
    assert.equal(roleOf(JSON.parse(all('CMD').at(-1)?.args ?? 'null'), 'CMD'), 'embedded');
    assert.equal(all('HEALTHCHECK').length, 0, 'orchestrators probe HTTP; the image has no HEALTHCHECK');
    const exposed = new Set(all('EXPOSE').flatMap((i) => i.args.split(/\s+/)).map((p) => (p.includes('/') ? p : `${p}/tcp`)));
    const cometTls = loadRole('comet', { ...SECRETS, COMET_TLS_CERT: TLS_STAND_IN.cert, COMET_TLS_KEY: TLS_STAND_IN.key }, 'comet with client TLS');
    for (const [role, setup] of [...(['logic', 'job', 'comet'] as const).map((r) => [r, defaults(r)] as const), ['comet (TLS)', cometTls] as const]) {
      for (const p of tcpPorts(setup)) assert.ok(exposed.has(`${p}/tcp`), `EXPOSE lacks ${role}'s ${p}/tcp`);
      for (const p of udpPorts(setup)) assert.ok(exposed.has(`${p}/udp`), `EXPOSE lacks ${role}'s ${p}/udp`);
    }
    assert.ok(cometTls.ports.wss === 3103 && cometTls.ports.tls === 3104);
  });

  it('.dockerignore keeps host builds out and lets the build inputs in', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const p of ['node_modules', 'dist', 'test-output', '.git']) assert.ok(ignored.includes(p), `.dockerignore must exclude ${p}`);
    const inputs = stages.slice(0, -1).flatMap((s) => s.instructions.filter((i) => i.op === 'COPY' && !i.args.includes('--from=')));
    for (const { args } of inputs) {
      for (const src of args.split(/\s+/).filter((t) => !t.startsWith('--')).slice(0, -1)) {
        assert.ok(existsSync(join(root, src)), `the build copies ${src}, which does not exist`);
        assert.ok(!ignored.some((p) => src === p || src.startsWith(`${p}/`)), `the build copies ${src}, which .dockerignore excludes`);
      }
    }
  });
});

// ---------------------------------------------------------------- docker-compose.yml

/** `envFile` stands in for the user's .env (the only place the file's secrets come from). */
function composeConfig(envFile: string, files: readonly string[] = ['docker-compose.yml']): Obj {
  const r = compose(envFile, files);
  assert.equal(r.status, 0, `${r.cmd} config rejected ${files.join(' + ')}:\n${r.stderr}`);
  return obj(parse(r.stdout), 'compose config');
}

/** `docker-compose config` (Debian's package) or `docker compose config`, whichever is installed. */
function compose(envFile: string, files: readonly string[]): { cmd: string; status: number | null; stdout: string; stderr: string } {
  // A clean environment, so the file's own defaults are what is checked.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [cmd, pre] of [['docker-compose', []], ['docker', ['compose']]] as const) {
    const r = spawnSync(cmd, [...pre, '--env-file', envFile, ...files.flatMap((f) => ['-f', f]), 'config'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    if (r.error || (cmd === 'docker' && /unknown command|not a docker command/.test(r.stderr))) continue;
    return { cmd: [cmd, ...pre].join(' '), status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  assert.fail("docker-compose is not installed, so docker-compose.yml cannot be checked: apt-get install -y docker-compose (Debian's package), or install Docker Compose v2");
}

function envOf(service: Obj, where: string): Record<string, string> {
  const e = service.environment ?? {};
  const pairs: Array<[string, unknown]> = Array.isArray(e)
    ? e.map((kv) => {
        const [k, ...v] = text(kv, where).split('=');
        return [k, v.join('=')];
      })
    : Object.entries(obj(e, where));
  return Object.fromEntries(pairs.map(([k, v]) => [String(k), v === null || v === undefined ? '' : String(v)]));
}

interface Published {
  host: number;
  container: number;
  protocol: string;
}
function portsOf(service: Obj, where: string): Published[] {
  return list(service.ports ?? [], `${where} ports`).map((p) => {
    if (typeof p === 'string') {
      const m = /^(?:[\d.]+:)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(p);
      if (!m) assert.fail(`${where}: cannot read port "${p}"`);
      return { host: Number(m[1]), container: Number(m[2]), protocol: m[3] ?? 'tcp' };
    }
    const o = obj(p, `${where} port`);
    return { host: Number(o.published), container: Number(o.target), protocol: String(o.protocol ?? 'tcp') };
  });
}

function seconds(duration: unknown): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const [, n, u] of String(duration).matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(n) * units[u];
  return total;
}

describe('docker-compose.yml', () => {
  let services: Obj;
  const roles = ['logic', 'job', 'comet-1', 'comet-2'];
  const setups = new Map<string, RoleSetup>();
  before(() => {
    const envFile = join(testOutputDir('deploy'), 'compose.env');
    writeFileSync(envFile, `IMGATE_API_KEYS=${SECRETS.LOGIC_API_KEYS}\nIMGATE_CLUSTER_SECRET=${SECRETS.CLUSTER_SECRET}\nIMGATE_JWT_SECRET=${JWT_SECRET}\n`);
    services = obj(composeConfig(envFile).services, 'services');
    for (const name of roles.filter((n) => isObj(services[n]))) {
      const s = obj(services[name], name);
      setups.set(name, loadRole(roleOf(s.command, name) as Role, envOf(s, name), `compose service ${name}`));
    }
  });
  const svc = (name: string): Obj => obj(services[name], `service ${name}`);

  it('holds every service, the roles built from this repository as one image', () => {
    for (const name of ['redis', 'kafka', 'kafka-init', ...roles]) assert.ok(isObj(services[name]), `no service ${name}`);
    assert.match(text(svc('redis').image, 'redis image'), /^redis:7(\b|$)/);
    assert.equal(svc('kafka').image, 'apache/kafka:3.9.1');
    assert.equal(svc('kafka-init').image, 'apache/kafka:3.9.1');
    const expected: Record<string, Role> = { logic: 'logic', job: 'job', 'comet-1': 'comet', 'comet-2': 'comet' };
    for (const name of roles) {
      assert.equal(resolve(root, text(dig(svc(name), 'build', 'context') ?? svc(name).build, `${name} build`)), root, `${name} builds from the repository root`);
      assert.equal(svc(name).image, 'imgate:local');
      assert.equal(roleOf(svc(name).command, name), expected[name]);
    }
  });

  it('health-checks every long-running service and starts each after what it needs', () => {
    assert.match(words(dig(svc('redis'), 'healthcheck', 'test')), /redis-cli.*ping/);
    assert.match(words(dig(svc('kafka'), 'healthcheck', 'test')), /\/opt\/kafka\/bin\/kafka-broker-api-versions\.sh/);
    for (const name of roles) {
      const test = words(dig(svc(name), 'healthcheck', 'test'));
      assert.ok(test.includes(`http://127.0.0.1:${setups.get(name)?.ports.http}/health/ready`), `${name} healthcheck must GET its own /health/ready: ${test}`);
    }
    const needs: Record<string, Record<string, string>> = {
      'kafka-init': { kafka: 'service_healthy' },
      logic: { redis: 'service_healthy', 'kafka-init': 'service_completed_successfully' },
      job: { redis: 'service_healthy', 'kafka-init': 'service_completed_successfully' },
      'comet-1': { redis: 'service_healthy', logic: 'service_healthy' },
      'comet-2': { redis: 'service_healthy', logic: 'service_healthy' },
    };
    for (const [name, deps] of Object.entries(needs)) {
      const dependsOn = obj(svc(name).depends_on, `${name} depends_on`);
      for (const [dep, condition] of Object.entries(deps)) assert.equal(dig(dependsOn, dep, 'condition'), condition, `${name} must wait for ${dep} (${condition})`);
    }
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries(obj(obj(s, name).depends_on ?? {}, `${name} depends_on`))) {
        if (dig(cond, 'condition') === 'service_healthy') assert.ok(dig(svc(dep), 'healthcheck', 'test'), `${name} waits for ${dep} to be healthy, which has no healthcheck`);
      }
    }
  });

  it('takes the API keys, CLUSTER_SECRET and the JWT secret from .env by reference: the file holds none, and compose refuses to run without each', () => {
    assert.equal(envOf(svc('logic'), 'logic').LOGIC_API_KEYS, SECRETS.LOGIC_API_KEYS);
    assert.equal(envOf(svc('logic'), 'logic').LOGIC_JWT_SECRET, JWT_SECRET);
    assert.equal(envOf(svc('logic'), 'logic').LOGIC_AUTH_MODE, 'jwt');
    for (const name of roles) assert.equal(envOf(svc(name), name).CLUSTER_SECRET, SECRETS.CLUSTER_SECRET, `${name} gets CLUSTER_SECRET`);
    const all = { IMGATE_API_KEYS: SECRETS.LOGIC_API_KEYS, IMGATE_CLUSTER_SECRET: SECRETS.CLUSTER_SECRET, IMGATE_JWT_SECRET: JWT_SECRET };
    for (const missing of Object.keys(all)) {
      const partial = join(testOutputDir('deploy'), `without-${missing}.env`);
      writeFileSync(partial, Object.entries(all).filter(([k]) => k !== missing).map(([k, v]) => `${k}=${v}\n`).join(''));
      assert.throws(() => composeConfig(partial), new RegExp(`${missing} is required - run bash scripts/compose-env.sh`), `compose must refuse to run without ${missing}`);
    }
    // A weak value given by hand is refused by logic at boot, naming the variable.
    const weak = { ...envOf(svc('logic'), 'logic'), LOGIC_JWT_SECRET: 'imgate-compose-demo-secret-NOT-FOR-PRODUCTION' };
    assert.throws(() => loadLogicConfig(new Env(weak)), /invalid configuration: LOGIC_JWT_SECRET is an example value shipped with imgate/);
  });

  it('runs Kafka as a single KRaft node the roles can reach, with their topics created', () => {
    const k = envOf(svc('kafka'), 'kafka');
    for (const v of ['KAFKA_NODE_ID', 'KAFKA_PROCESS_ROLES', 'KAFKA_LISTENERS', 'KAFKA_ADVERTISED_LISTENERS', 'KAFKA_CONTROLLER_QUORUM_VOTERS', 'KAFKA_CONTROLLER_LISTENER_NAMES', 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP']) {
      assert.ok(k[v], `kafka must set ${v}`);
    }
    assert.deepEqual(k.KAFKA_PROCESS_ROLES.split(',').sort(), ['broker', 'controller']);
    assert.equal(k.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, '1', 'one broker cannot hold 3 replicas of the offsets topic');
    assert.ok(k.KAFKA_CONTROLLER_QUORUM_VOTERS.startsWith(`${k.KAFKA_NODE_ID}@`));
    const advertised = new Map(k.KAFKA_ADVERTISED_LISTENERS.split(',').map((l) => l.split('://').reverse() as [string, string]));
    const controllers = k.KAFKA_CONTROLLER_LISTENER_NAMES.split(',');
    const init = `${words(svc('kafka-init').entrypoint)} ${words(svc('kafka-init').command)}`;
    assert.match(init, /kafka-topics\.sh .*--create .*--if-not-exists/);
    for (const [name, s] of setups) {
      for (const broker of s.infra.kafkaBrokers) {
        const listener = advertised.get(broker);
        assert.ok(listener && !controllers.includes(listener), `${name} dials ${broker}, which kafka does not advertise as a broker listener`);
        assert.ok(k.KAFKA_LISTENERS.includes(`${listener}://`) && k.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.includes(`${listener}:`));
      }
      for (const topic of [s.infra.pushTopic, s.infra.upstreamTopic]) {
        assert.match(init, new RegExp(`--topic ${topic} --partitions ${s.infra.kafkaPartitions}\\b`), `kafka-init must create ${name}'s topic ${topic} with KAFKA_PARTITIONS partitions`);
      }
    }
  });

  it('runs two distinct comets on distinct host ports, and publishes logic for the demo page', () => {
    const c1 = envOf(svc('comet-1'), 'comet-1');
    const c2 = envOf(svc('comet-2'), 'comet-2');
    assert.notEqual(c1.COMET_ID, c2.COMET_ID);
    assert.notEqual(c1.COMET_ADVERTISE_HOST, c2.COMET_ADVERTISE_HOST);
    for (const [name, e] of [['comet-1', c1], ['comet-2', c2]] as const) {
      assert.equal(e.COMET_ADVERTISE_HOST, name, 'job dials the advertised host, so it must be the compose service name');
      const published = portsOf(svc(name), name);
      const { http, tcp, ws, kcp } = setups.get(name)?.ports ?? assert.fail(`no setup for ${name}`);
      for (const [use, p] of Object.entries({ http, tcp, ws })) {
        assert.ok(published.some((x) => x.container === p && x.protocol === 'tcp'), `${name} must publish its ${use} port ${p}/tcp`);
      }
      assert.ok(published.some((x) => x.container === kcp && x.protocol === 'udp'), `${name} must publish its KCP port ${kcp}/udp`);
      // Clients on the host are given the public ports: they must be the published host ports.
      const pub = setups.get(name)?.publicPorts ?? assert.fail(`no public ports for ${name}`);
      for (const [use, container, proto] of [['tcp', tcp, 'tcp'], ['ws', ws, 'tcp'], ['kcp', kcp, 'udp']] as const) {
        const mapped = published.find((x) => x.container === container && x.protocol === proto);
        assert.equal(pub[use], mapped?.host, `${name} tells clients ${use} port ${pub[use]}, but publishes ${mapped?.host}`);
      }
      const drainMs = Number(e.COMET_DRAIN_TIMEOUT_MS || 30_000);
      assert.ok(seconds(svc(name).stop_grace_period) > drainMs / 1000, `${name} stop_grace_period must exceed COMET_DRAIN_TIMEOUT_MS`);
    }
    const taken = new Map<string, string>();
    for (const [name, s] of Object.entries(services)) {
      for (const p of portsOf(obj(s, name), name)) {
        const key = `${p.host}/${p.protocol}`;
        assert.ok(!taken.has(key), `host port ${key} is published by both ${taken.get(key)} and ${name}`);
        taken.set(key, name);
      }
    }
    assert.equal(taken.get(`${setups.get('logic')?.ports.http}/tcp`), 'logic', 'logic HTTP (push API, demo page) must be published on the host');
  });
});

describe('docker-compose.tls.yml (client TLS over docker-compose.yml)', () => {
  const files = ['docker-compose.yml', 'docker-compose.tls.yml'];
  let config: Obj;
  before(() => {
    const envFile = join(testOutputDir('deploy'), 'compose-tls.env');
    writeFileSync(envFile, [`IMGATE_API_KEYS=${SECRETS.LOGIC_API_KEYS}`, `IMGATE_CLUSTER_SECRET=${SECRETS.CLUSTER_SECRET}`, `IMGATE_JWT_SECRET=${JWT_SECRET}`, `IMGATE_TLS_CERT_FILE=${TLS_STAND_IN.cert}`, `IMGATE_TLS_KEY_FILE=${TLS_STAND_IN.key}`, ''].join('\n'));
    config = composeConfig(envFile, files);
  });

  /** The comet's environment with each Compose secret's mount path replaced by the host file it comes from. */
  function cometEnv(name: string): Record<string, string> {
    const service = obj(dig(config, 'services', name), name);
    const mounted = new Map<string, string>();
    for (const ref of list(service.secrets ?? [], `${name} secrets`)) {
      const source = typeof ref === 'string' ? ref : text(dig(ref, 'source'), `${name} secret source`);
      const target = typeof ref === 'string' ? source : String(dig(ref, 'target') ?? source);
      mounted.set(target.startsWith('/') ? target : `/run/secrets/${target}`, text(dig(config, 'secrets', source, 'file'), `secret ${source} file`));
    }
    return Object.fromEntries(Object.entries(envOf(service, name)).map(([k, v]) => [k, mounted.get(v) ?? v]));
  }

  it('mounts the certificate and key as secrets from files named in .env, publishes WSS and TLS, and tells clients the published ports', () => {
    for (const name of ['comet-1', 'comet-2']) {
      const setup = loadRole('comet', cometEnv(name), `compose service ${name} with TLS`);
      assert.ok(setup.ports.wss && setup.ports.tls, `${name} serves no client TLS`);
      const published = portsOf(obj(dig(config, 'services', name), name), name);
      for (const use of ['wss', 'tls'] as const) {
        const mapped = published.find((x) => x.container === setup.ports[use] && x.protocol === 'tcp');
        assert.ok(mapped, `${name} must publish its ${use} port ${setup.ports[use]}/tcp`);
        assert.equal(setup.publicPorts?.[use], mapped.host, `${name} tells clients ${use} port ${setup.publicPorts?.[use]}, but publishes ${mapped.host}`);
      }
    }
    // Neither file holds key material: it comes only from the files .env names.
    for (const f of files) assert.ok(!/PRIVATE KEY|BEGIN CERTIFICATE/.test(readFileSync(join(root, f), 'utf8')), `${f} holds PEM material`);
  });

  it('refuses to render without the certificate files, naming the setting; plain docker-compose.yml runs without TLS', () => {
    const envFile = join(testOutputDir('deploy'), 'compose-tls-missing.env');
    writeFileSync(envFile, `IMGATE_API_KEYS=${SECRETS.LOGIC_API_KEYS}\nIMGATE_CLUSTER_SECRET=${SECRETS.CLUSTER_SECRET}\nIMGATE_JWT_SECRET=${JWT_SECRET}\n`);
    const r = compose(envFile, files);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /IMGATE_TLS_(CERT|KEY)_FILE/);
    const plain = composeConfig(envFile);
    assert.equal(envOf(obj(dig(plain, 'services', 'comet-1'), 'comet-1'), 'comet-1').COMET_TLS_CERT, undefined);
  });
});

// ---------------------------------------------------------------- k8s/base

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

function readYamlDocs(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      assert.equal(doc.errors.length, 0, `${file}: ${doc.errors.join('; ')}`);
      return doc.toJS() as unknown;
    })
    .filter((v) => v !== null && v !== undefined)
    .map((v) => obj(v, file));
}

/**
 * A small kustomize: resources (files and directories), namespace, labels and images, the only
 * fields k8s/ uses. Any other field fails loudly rather than being silently ignored.
 */
function kustomize(dir: string): Obj[] {
  const k = obj(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')), 'kustomization');
  for (const key of Object.keys(k)) {
    assert.ok(['apiVersion', 'kind', 'namespace', 'labels', 'images', 'resources'].includes(key), `${dir}/kustomization.yaml uses "${key}", which this test's loader does not implement`);
  }
  const objects = list(k.resources, 'resources').flatMap((r) => {
    const p = join(dir, text(r, 'resource'));
    return statSync(p).isDirectory() ? kustomize(p) : readYamlDocs(p);
  });
  const pods = (o: Obj) => [dig(o, 'spec', 'template', 'spec'), dig(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec')].filter(isObj);
  for (const o of objects) {
    const meta = obj(o.metadata, 'metadata');
    if (typeof k.namespace === 'string' && !CLUSTER_SCOPED.has(String(o.kind))) meta.namespace = k.namespace;
    for (const l of list(k.labels ?? [], 'labels').map((l) => obj(l, 'labels entry'))) {
      assert.notEqual(l.includeSelectors, true, 'labels.includeSelectors is not implemented by this loader');
      const pairs = obj(l.pairs, 'labels pairs');
      meta.labels = { ...obj(meta.labels ?? {}, 'labels'), ...pairs };
      const template = dig(o, 'spec', 'template');
      if (l.includeTemplates === true && isObj(template)) {
        const tm = obj(template.metadata ?? {}, 'template metadata');
        template.metadata = { ...tm, labels: { ...obj(tm.labels ?? {}, 'template labels'), ...pairs } };
      }
    }
    for (const c of pods(o).flatMap((p) => [...list(p.containers ?? [], 'containers'), ...list(p.initContainers ?? [], 'initContainers')])) {
      const container = obj(c, 'container');
      const [, name, tag] = /^(.*?)(?::([^:/]+))?$/.exec(text(container.image, 'image')) ?? [];
      const rule = list(k.images ?? [], 'images').map((i) => obj(i, 'images entry')).find((i) => i.name === name);
      if (rule) container.image = `${rule.newName ?? name}${rule.digest ? `@${rule.digest}` : rule.newTag || tag ? `:${rule.newTag ?? tag}` : ''}`;
    }
  }
  return objects;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const nameOf = (o: Obj): string => String(dig(o, 'metadata', 'name'));
const podSpec = (w: Obj): Obj => obj(dig(w, 'spec', 'template', 'spec'), `${nameOf(w)} pod spec`);
const containers = (w: Obj): Obj[] => list(podSpec(w).containers, `${nameOf(w)} containers`).map((c) => obj(c, 'container'));
const matches = (selector: unknown, labels: unknown): boolean =>
  isObj(selector) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => dig(labels, k) === v);

describe('k8s/base', () => {
  let objects: Obj[];
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const find = (kind: string, name: string): Obj => {
    const o = objects.find((x) => x.kind === kind && nameOf(x) === name);
    if (!o) assert.fail(`no ${kind} ${name}`);
    return o;
  };
  const workloads = () => objects.filter((o) => WORKLOADS.has(String(o.kind)));
  const roleWorkload = (role: Role): Obj => {
    const w = workloads().find((x) => containers(x).some((c) => roleOf(c.args ?? c.command, nameOf(x)) === role));
    if (!w) assert.fail(`no workload runs the ${role}`);
    return w;
  };

  /** The container's environment as the kubelet would build it, with stand-ins for the downward API. */
  function containerEnv(w: Obj, c: Obj): Record<string, string> {
    const env: Record<string, string> = {};
    const secretData = (s: Obj): Record<string, string> => ({
      ...Object.fromEntries(Object.entries(obj(s.data ?? {}, 'secret data')).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()])),
      ...(obj(s.stringData ?? {}, 'secret stringData') as Record<string, string>),
    });
    const source = (kind: 'ConfigMap' | 'Secret', name: unknown): Record<string, string> => {
      const external = kind === 'Secret' ? EXTERNAL_SECRETS[text(name, 'Secret reference')] : undefined;
      if (external) return external;
      const o = find(kind, text(name, `${kind} reference`));
      return kind === 'Secret' ? secretData(o) : (obj(o.data ?? {}, 'configmap data') as Record<string, string>);
    };
    for (const f of list(c.envFrom ?? [], 'envFrom')) {
      if (isObj(dig(f, 'configMapRef'))) Object.assign(env, source('ConfigMap', dig(f, 'configMapRef', 'name')));
      if (isObj(dig(f, 'secretRef'))) Object.assign(env, source('Secret', dig(f, 'secretRef', 'name')));
    }
    const downward: Record<string, string> = { 'metadata.name': `${nameOf(w)}-0`, 'metadata.namespace': 'imgate', 'status.podIP': '10.1.2.3' };
    for (const e of list(c.env ?? [], 'env').map((x) => obj(x, 'env entry'))) {
      const name = text(e.name, 'env name');
      const ref = (kind: 'ConfigMap' | 'Secret', key: string) => {
        const v = source(kind, dig(e, 'valueFrom', key, 'name'))[text(dig(e, 'valueFrom', key, 'key'), `${name} key`)];
        assert.ok(v !== undefined, `${nameOf(w)}: ${name} refers to a missing ${kind} key`);
        return v;
      };
      if (typeof e.value === 'string') env[name] = e.value;
      else if (isObj(dig(e, 'valueFrom', 'configMapKeyRef'))) env[name] = ref('ConfigMap', 'configMapKeyRef');
      else if (isObj(dig(e, 'valueFrom', 'secretKeyRef'))) env[name] = ref('Secret', 'secretKeyRef');
      else env[name] = downward[text(dig(e, 'valueFrom', 'fieldRef', 'fieldPath'), `${name} source`)] ?? assert.fail(`${name}: unsupported env source`);
    }
    // Files from Secret volumes: a setting naming one gets the stand-in file the Secret would hold.
    const volumes = new Map(list(podSpec(w).volumes ?? [], 'volumes').map((v) => [text(dig(v, 'name'), 'volume name'), obj(v, 'volume')]));
    const files = new Map<string, string>();
    for (const m of list(c.volumeMounts ?? [], 'volumeMounts').map((x) => obj(x, 'volumeMount'))) {
      const secret = dig(volumes.get(text(m.name, 'volumeMount name')), 'secret', 'secretName');
      const data = typeof secret === 'string' ? EXTERNAL_FILE_SECRETS[secret] : undefined;
      for (const [key, file] of Object.entries(data ?? {})) files.set(`${text(m.mountPath, 'mountPath')}/${key}`, file);
    }
    for (const [k, v] of Object.entries(env)) env[k] = files.get(v) ?? v;
    return env;
  }

  /** The container port a Service or probe port (name or number, and protocol when given: 3103 is WSS and KCP) lands on. */
  function containerPort(w: Obj, port: unknown, protocol?: string): { number: number; protocol: string } | undefined {
    for (const c of containers(w)) {
      for (const p of list(c.ports ?? [], 'ports').map((x) => obj(x, 'port'))) {
        if (protocol !== undefined && String(p.protocol ?? 'TCP') !== protocol) continue;
        if (p.name === port || p.containerPort === port) return { number: Number(p.containerPort), protocol: String(p.protocol ?? 'TCP') };
      }
    }
    return undefined;
  }

  before(() => {
    objects = kustomize(join(root, 'k8s/base'));
  });

  it('renders objects that validate against the Kubernetes schemas', async () => {
    assert.ok(objects.length > 0);
    for (const o of objects) {
      const where = `${String(o.kind)} ${nameOf(o)}`;
      const mod: unknown = await import(`kubernetes-models/${text(o.apiVersion, `${where} apiVersion`)}`).catch(() => undefined);
      const Model = dig(mod, text(o.kind, `${where} kind`));
      if (typeof Model !== 'function') assert.fail(`${where}: no Kubernetes schema for ${String(o.apiVersion)} ${String(o.kind)}`);
      try {
        new (Model as new (data: unknown) => { validate(): void })(o).validate();
      } catch (err) {
        assert.fail(`${where} does not match its schema: ${(err as Error).message}`);
      }
    }
  });

  it('holds every object the cluster needs, all in the namespace', () => {
    const ns = nameOf(byKind('Namespace')[0] ?? assert.fail('no Namespace'));
    for (const o of objects.filter((x) => !CLUSTER_SCOPED.has(String(x.kind)))) assert.equal(dig(o, 'metadata', 'namespace'), ns, `${String(o.kind)} ${nameOf(o)} is outside ${ns}`);
    // Every Secret (keys, JWT secret, TLS pair) is created outside the manifests: none is rendered.
    assert.ok(byKind('ConfigMap').length > 0);
    assert.equal(byKind('Secret').length, 0, 'no Secret (and so no secret value) in the manifests');
    assert.equal(roleWorkload('logic').kind, 'Deployment');
    assert.equal(roleWorkload('job').kind, 'Deployment');
    assert.ok(['Deployment', 'StatefulSet'].includes(String(roleWorkload('comet').kind)));
    assert.ok(Number(dig(roleWorkload('logic'), 'spec', 'replicas')) >= 2, 'logic runs at least 2 replicas');
    assert.ok(Number(dig(roleWorkload('job'), 'spec', 'replicas')) >= 2, 'job runs at least 2 consumers');
    const hpa = byKind('HorizontalPodAutoscaler').find((h) => dig(h, 'spec', 'scaleTargetRef', 'name') === nameOf(roleWorkload('logic')));
    assert.ok(hpa && hpa.apiVersion === 'autoscaling/v2', 'an autoscaling/v2 HPA scales logic');
    assert.equal(dig(hpa, 'spec', 'scaleTargetRef', 'kind'), 'Deployment');
    const cpu = list(dig(hpa, 'spec', 'metrics'), 'hpa metrics').find((m) => dig(m, 'resource', 'name') === 'cpu');
    assert.equal(dig(cpu, 'resource', 'target', 'averageUtilization'), 70);
    for (const role of ['comet', 'logic'] as const) {
      const labels = dig(roleWorkload(role), 'spec', 'template', 'metadata', 'labels');
      assert.ok(byKind('PodDisruptionBudget').some((p) => matches(dig(p, 'spec', 'selector', 'matchLabels'), labels)), `no PodDisruptionBudget covers ${role}`);
    }
  });

  it('gives every container probes on its health port, resources and a locked-down runtime', () => {
    for (const w of workloads()) {
      const spec = podSpec(w);
      assert.equal(dig(spec, 'securityContext', 'runAsNonRoot'), true, `${nameOf(w)}: runAsNonRoot`);
      assert.equal(String(dig(spec, 'securityContext', 'runAsUser')), imageUser(), `${nameOf(w)}: runAsUser should be the image's USER`);
      for (const c of containers(w)) {
        const where = `${nameOf(w)}/${String(c.name)}`;
        const role = roleOf(c.args ?? c.command, where);
        assert.notEqual(role, 'embedded', `${where}: the embedded default is not for clusters`);
        const setup = loadRole(role as Role, containerEnv(w, c), where);
        for (const [probe, path] of [['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready']] as const) {
          assert.equal(dig(c, probe, 'httpGet', 'path'), path, `${where}: ${probe} must GET ${path}`);
          assert.equal(containerPort(w, dig(c, probe, 'httpGet', 'port'))?.number, setup.ports.http, `${where}: ${probe} must target the HTTP port ${setup.ports.http}`);
        }
        for (const r of ['requests.cpu', 'requests.memory', 'limits.memory']) assert.ok(dig(c, 'resources', ...r.split('.')), `${where}: resources.${r}`);
        assert.equal(dig(c, 'securityContext', 'readOnlyRootFilesystem'), true, `${where}: readOnlyRootFilesystem`);
        assert.equal(dig(c, 'securityContext', 'allowPrivilegeEscalation'), false, `${where}: allowPrivilegeEscalation`);
        for (const p of tcpPorts(setup)) assert.equal(containerPort(w, p, 'TCP')?.protocol, 'TCP', `${where}: containerPort ${p}/TCP`);
        for (const p of udpPorts(setup)) assert.equal(containerPort(w, p, 'UDP')?.protocol, 'UDP', `${where}: containerPort ${p}/UDP`);
      }
    }
  });

  it('takes the API keys, CLUSTER_SECRET and the JWT secret from the Secret imgate-keys by reference; no manifest holds them', () => {
    for (const name of [...Object.keys(EXTERNAL_SECRETS), ...Object.keys(EXTERNAL_FILE_SECRETS)]) {
      assert.ok(!objects.some((o) => o.kind === 'Secret' && nameOf(o) === name), `Secret ${name} must be created outside the manifests`);
    }
    const refs = (role: Role) => {
      const c = containers(roleWorkload(role))[0];
      return Object.fromEntries(list(c.env ?? [], 'env').map((e) => [text(dig(e, 'name'), 'env name'), dig(e, 'valueFrom', 'secretKeyRef', 'name')]));
    };
    assert.equal(refs('logic').LOGIC_API_KEYS, 'imgate-keys');
    assert.equal(refs('logic').LOGIC_JWT_SECRET, 'imgate-keys');
    for (const role of ['logic', 'job', 'comet'] as const) assert.equal(refs(role).CLUSTER_SECRET, 'imgate-keys', `${role} CLUSTER_SECRET`);
    const rendered = JSON.stringify(objects);
    for (const v of ['LOGIC_API_KEYS', 'CLUSTER_SECRET', 'LOGIC_JWT_SECRET']) assert.ok(!new RegExp(`"${v}":"`).test(rendered), `${v} has a value written in a manifest`);
    assert.ok(!/PRIVATE KEY|BEGIN CERTIFICATE/.test(rendered), 'no manifest holds PEM material');
    // The comet's client TLS pair: a whole-folder mount of the Secret (a subPath mount never sees a renewal).
    const comet = roleWorkload('comet');
    const tlsVolume = list(podSpec(comet).volumes ?? [], 'volumes').find((v) => dig(v, 'secret', 'secretName') === 'imgate-comet-tls');
    const mount = list(containers(comet)[0].volumeMounts ?? [], 'volumeMounts').find((m) => dig(m, 'name') === dig(tlsVolume, 'name'));
    assert.ok(tlsVolume && mount && dig(mount, 'subPath') === undefined && dig(mount, 'readOnly') === true, 'the comet mounts Secret imgate-comet-tls read-only, without subPath');
    assert.ok(Number(dig(podSpec(comet), 'securityContext', 'fsGroup')) > 0, 'fsGroup lets the non-root comet read the 0440 Secret files');
  });

  it('names each comet after its pod, advertises the pod IP, and drains before it is killed', () => {
    const w = roleWorkload('comet');
    const c = containers(w)[0];
    const from = (name: string) => dig(list(c.env, 'comet env').find((e) => dig(e, 'name') === name), 'valueFrom', 'fieldRef', 'fieldPath');
    assert.equal(from('COMET_ID'), 'metadata.name');
    assert.equal(from('COMET_ADVERTISE_HOST'), 'status.podIP');
    const preStop = obj(dig(c, 'lifecycle', 'preStop'), 'comet preStop hook');
    const pause = Number(dig(preStop, 'sleep', 'seconds') ?? /sleep\s+(\d+)/.exec(words(dig(preStop, 'exec', 'command')))?.[1] ?? 0);
    assert.ok(pause > 0, 'the preStop hook must pause so endpoints update before SIGTERM');
    const drainS = Number(containerEnv(w, c).COMET_DRAIN_TIMEOUT_MS || 30_000) / 1000;
    const grace = Number(podSpec(w).terminationGracePeriodSeconds);
    assert.ok(grace >= 30 && grace > pause + drainS, `terminationGracePeriodSeconds ${grace} must exceed preStop ${pause}s + drain ${drainS}s`);
  });

  it('exposes comets over TCP+WebSocket and, separately, UDP; logic over HTTP+gRPC; job for metrics', () => {
    const targets = (role: Role, pred: (s: Obj) => boolean = () => true) => {
      const w = roleWorkload(role);
      const labels = dig(w, 'spec', 'template', 'metadata', 'labels');
      return byKind('Service')
        .filter((s) => matches(dig(s, 'spec', 'selector'), labels) && pred(s))
        .map((s) => list(dig(s, 'spec', 'ports'), 'service ports').map((p) => containerPort(w, dig(p, 'targetPort') ?? dig(p, 'port'), String(dig(p, 'protocol') ?? 'TCP'))));
    };
    for (const s of byKind('Service')) {
      const w = workloads().find((x) => matches(dig(s, 'spec', 'selector'), dig(x, 'spec', 'template', 'metadata', 'labels')));
      assert.ok(w, `Service ${nameOf(s)} selects no workload`);
      for (const p of list(dig(s, 'spec', 'ports'), 'ports')) {
        const target = containerPort(w, dig(p, 'targetPort') ?? dig(p, 'port'), String(dig(p, 'protocol') ?? 'TCP'));
        assert.equal(target?.protocol, String(dig(p, 'protocol') ?? 'TCP'), `Service ${nameOf(s)} port ${String(dig(p, 'name'))} has no matching container port`);
      }
    }
    const cometWorkload = roleWorkload('comet');
    const comet = loadRole('comet', containerEnv(cometWorkload, containers(cometWorkload)[0]), 'comet').ports;
    const external = (s: Obj) => ['LoadBalancer', 'NodePort'].includes(String(dig(s, 'spec', 'type')));
    assert.ok(comet.wss && comet.tls, 'the comet serves client TLS');
    assert.ok(targets('comet', external).some((ps) => [comet.tcp, comet.ws, comet.wss, comet.tls].every((n) => ps.some((p) => p !== undefined && p.number === n && p.protocol === 'TCP'))), 'no external Service for comet TCP + WebSocket + WSS + TLS');
    const udpOnly = (s: Obj) => external(s) && list(dig(s, 'spec', 'ports'), 'ports').every((p) => dig(p, 'protocol') === 'UDP');
    assert.ok(targets('comet', udpOnly).some((ps) => ps.some((p) => p !== undefined && p.number === comet.kcp && p.protocol === 'UDP')), 'no separate UDP Service for KCP');
    const logic = defaults('logic');
    assert.ok(targets('logic').some((ps) => [logic.ports.http, logic.ports.grpc].every((n) => ps.some((p) => p?.number === n))), 'no Service for logic HTTP + gRPC');
    assert.ok(targets('job').some((ps) => ps.some((p) => p?.number === defaults('job').ports.http)), 'no Service for job metrics');
  });

  it('points comets at a Service that reaches logic gRPC', () => {
    const w = roleWorkload('comet');
    const addr = containerEnv(w, containers(w)[0]).COMET_LOGIC_ADDR ?? '';
    const m = /^(?:dns:\/\/\/)?([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)$/.exec(addr);
    if (!m) assert.fail(`COMET_LOGIC_ADDR "${addr}" is not a Service address`);
    const svc = find('Service', m[1]);
    const logic = roleWorkload('logic');
    assert.ok(matches(dig(svc, 'spec', 'selector'), dig(logic, 'spec', 'template', 'metadata', 'labels')), `Service ${m[1]} does not select logic`);
    const port = list(dig(svc, 'spec', 'ports'), 'ports').find((p) => dig(p, 'port') === Number(m[2]));
    const grpc = loadRole('logic', containerEnv(logic, containers(logic)[0]), 'logic').ports.grpc;
    assert.equal(containerPort(logic, dig(port, 'targetPort') ?? dig(port, 'port'))?.number, grpc, `${addr} does not reach logic gRPC ${grpc}`);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  it('renders as kubectl kustomize does', { skip: kubectl.status !== 0 && 'kubectl is not installed' }, () => {
    const r = spawnSync('kubectl', ['kustomize', join(root, 'k8s/base')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const key = (o: Obj) => `${String(o.kind)}/${nameOf(o)}`;
    const sort = (os: Obj[]) => [...os].sort((a, b) => key(a).localeCompare(key(b)));
    const theirs = parseAllDocuments(r.stdout).map((d) => obj(d.toJS(), 'kubectl output'));
    assert.deepEqual(sort(objects), sort(theirs));
  });
});

// ---------------------------------------------------------------- Grafana dashboard

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'test') sourceFiles(p, out);
    } else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) out.push(p);
  }
  return out;
}

describe('deploy/grafana/imgate.json', () => {
  const dashboard = obj(JSON.parse(readFileSync(join(root, 'deploy/grafana/imgate.json'), 'utf8')), 'dashboard');
  const panels = list(dashboard.panels, 'panels').flatMap((p) => [p, ...list(dig(p, 'panels') ?? [], 'row panels')]).map((p) => obj(p, 'panel'));
  const exprs = panels.flatMap((p) => list(p.targets ?? [], 'targets').map((t) => text(dig(t, 'expr'), `${String(p.title)} expr`)));

  it('takes its Prometheus data source from a variable', () => {
    const v = list(dig(dashboard, 'templating', 'list'), 'templating').find((x) => dig(x, 'type') === 'datasource' && dig(x, 'query') === 'prometheus');
    const uid = `\${${text(dig(v, 'name'), 'datasource variable')}}`;
    for (const p of panels.filter((x) => Array.isArray(x.targets))) {
      assert.equal(dig(p, 'datasource', 'uid'), uid, `panel "${String(p.title)}" must use ${uid}`);
      for (const t of list(p.targets, 'targets')) assert.ok([undefined, uid].includes(dig(t, 'datasource', 'uid') as string | undefined));
    }
    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, 'panel ids must be unique');
  });

  it('queries only metrics the roles define, and shows each one operators need', async () => {
    const defined = new Set((await createMetricsRegistry().getMetricsAsJSON()).map((m) => m.name));
    for (const dir of ['apps', 'libs']) {
      for (const f of sourceFiles(join(root, dir))) for (const [, n] of readFileSync(f, 'utf8').matchAll(/name:\s*'(imgate_[a-z0-9_]+)'/g)) defined.add(n);
    }
    assert.ok(defined.has('imgate_comet_connections'), 'metric definitions not found in the sources');
    const used = new Set(JSON.stringify(dashboard).match(/\bimgate_[a-z0-9_]+/g));
    for (const m of used) assert.ok(defined.has(m) || defined.has(m.replace(/_(bucket|sum|count)$/, '')), `the dashboard queries ${m}, which no role defines`);
    const needed = [
      'imgate_comet_connections',
      'imgate_comet_packets_in_total',
      'imgate_comet_packets_out_total',
      'imgate_comet_bytes_in_total',
      'imgate_comet_bytes_out_total',
      'imgate_comet_protocol_errors_total',
      'imgate_comet_auth_total',
      'imgate_comet_push_latency_seconds_bucket',
      'imgate_job_records_total',
      'imgate_job_comet_call_seconds_bucket',
    ];
    for (const m of needed) assert.ok(exprs.some((e) => e.includes(m)), `no panel queries ${m}`);
    assert.ok(exprs.some((e) => /histogram_quantile\(0\.99, .*imgate_comet_push_latency_seconds_bucket/.test(e)), 'push latency p99 panel');
  });
});
