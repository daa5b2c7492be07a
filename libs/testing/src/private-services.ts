import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type CertPair, pemKeystore } from './pki';
import { freePorts } from './ports';
import { repoRoot } from './processes';

const run = promisify(execFile);

export function notePid(pid: number | undefined): void {
  // The test runner reaps whatever a crashed test left running, by these pids only.
  if (process.env.IMGATE_TEST_PIDS && pid) appendFileSync(process.env.IMGATE_TEST_PIDS, `${pid}\n`);
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => s.write('PING\r\n'));
    s.setTimeout(1_000, () => (s.destroy(), resolve(false)));
    s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG'))));
    s.once('error', () => resolve(false));
  });
}

/**
 * A Redis of the test's own, on a free port, without persistence: stopping and starting it is a
 * Redis restart that comes back empty. Never the shared 6379.
 */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  /** Reserves a port; `start()` runs the server (a test may start roles before Redis is up). */
  static async create(): Promise<PrivateRedis> {
    const [port] = await freePorts(1);
    return new PrivateRedis(port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return;
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    notePid(this.child.pid);
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (Date.now() > deadline) throw new Error(`private redis on ${this.port} did not answer`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kills it (SIGKILL: a crash; nothing is saved). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A second listener, SASL over TLS: the broker's certificate (PEM, from makeTestPki) and its users. */
export interface KafkaSaslSslOptions {
  server: CertPair;
  /** name → password; each may log in with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
  users: Record<string, string>;
}

/**
 * A single-node KRaft Kafka of the test's own (scripts/kafka.sh with private ports and state):
 * `stop()`/`start()` restart the broker on its data. ~15 s to start and ~400 MB, so one per file.
 */
export class PrivateKafka {
  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly state: string,
    /** The SASL_SSL listener's port, when asked for. */
    readonly saslSslPort?: number,
  ) {}

  /** Reserves ports and a state dir; `up()` formats and starts the broker. */
  static async create(opts: { saslSsl?: KafkaSaslSslOptions } = {}): Promise<PrivateKafka> {
    const [port, controller, saslSsl] = await freePorts(3);
    const state = mkdtempSync(join(tmpdir(), 'imgate-kafka-'));
    const env: Record<string, string> = { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controller), IMGATE_STATE: state, KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m' };
    if (!opts.saslSsl) return new PrivateKafka(port, env, state);
    Object.assign(env, {
      KAFKA_SASL_SSL_PORT: String(saslSsl),
      KAFKA_SSL_KEYSTORE_PEM: pemKeystore(opts.saslSsl.server, join(state, 'keystore.pem')),
      KAFKA_SASL_USERS: Object.entries(opts.saslSsl.users).map(([u, p]) => `${u}:${p}`).join(','),
    });
    return new PrivateKafka(port, env, state, saslSsl);
  }

  /** The PLAINTEXT listener. */
  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The SASL_SSL listener (create({ saslSsl })). */
  get saslSslBrokers(): string {
    if (!this.saslSslPort) throw new Error('this broker has no SASL_SSL listener');
    return `127.0.0.1:${this.saslSslPort}`;
  }

  private async script(cmd: 'up' | 'down' | 'stop' | 'start'): Promise<void> {
    await run('bash', [join(repoRoot(), 'scripts/kafka.sh'), cmd], { env: { ...process.env, ...this.env }, timeout: 150_000 });
    if (cmd === 'up' || cmd === 'start') {
      try {
        notePid(Number(readFileSync(join(this.state, 'kafka/kafka.pid'), 'utf8').trim()));
      } catch {
        // no pid file: nothing of ours to reap
      }
    }
  }

  up(): Promise<void> {
    return this.script('up');
  }

  /** Stops the broker, keeping its data. */
  stop(): Promise<void> {
    return this.script('stop');
  }

  /** Starts it again on its data. */
  start(): Promise<void> {
    return this.script('start');
  }

  async down(): Promise<void> {
    await this.script('down').catch(() => undefined);
    rmSync(this.state, { recursive: true, force: true });
  }
}
