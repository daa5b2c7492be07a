import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import type { CertPair } from './pki';
import { freePorts } from './ports';
import { notePid } from './private-services';

const run = promisify(execFile);

export interface TlsRedisOptions {
  /** The server certificate (also the cluster bus's client certificate). */
  server: CertPair;
  /** The CA clients' certificates must chain to (and, in a cluster, the other nodes'). */
  ca: string;
  /** An ACL user with every right; the `default` user is switched off, so this one must log in. */
  user: { name: string; password: string };
  /** A Redis Cluster of this many masters (all slots spread), instead of one server. */
  clusterMasters?: number;
}

/**
 * Redis of the test's own that speaks only TLS (Debian's redis-server, `--port 0 --tls-port`),
 * requires a client certificate (`tls-auth-clients yes`, Redis' default) and an ACL login: one
 * server or a Redis Cluster whose bus and slot map are TLS too. Never the shared 6379.
 */
export class TlsRedis {
  private readonly children: ChildProcess[] = [];

  private constructor(
    readonly ports: number[],
    private readonly opts: TlsRedisOptions,
  ) {}

  static async start(opts: TlsRedisOptions, dir: string): Promise<TlsRedis> {
    const r = new TlsRedis(await freePorts(opts.clusterMasters ?? 1), opts);
    try {
      await r.launch(dir);
    } catch (err) {
      await r.stop();
      throw err;
    }
    return r;
  }

  /** `rediss://user:password@…` for one server, `rediss+cluster://user:password@a,b,c` for the cluster. */
  get url(): string {
    const auth = `${encodeURIComponent(this.opts.user.name)}:${encodeURIComponent(this.opts.user.password)}@`;
    const hosts = this.ports.map((p) => `127.0.0.1:${p}`);
    return this.opts.clusterMasters ? `rediss+cluster://${auth}${hosts.join(',')}` : `rediss://${auth}${hosts[0]}`;
  }

  private tlsArgs(): string[] {
    const { server, ca } = this.opts;
    return ['--tls-cert-file', server.cert, '--tls-key-file', server.key, '--tls-ca-cert-file', ca];
  }

  private async launch(dir: string): Promise<void> {
    const { user } = this.opts;
    for (const port of this.ports) {
      const args = [
        '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
        ...this.tlsArgs(), '--tls-auth-clients', 'yes',
        '--user', 'default', 'off',
        '--user', user.name, 'on', `>${user.password}`, '~*', '&*', '+@all',
        ...(this.opts.clusterMasters ? ['--cluster-enabled', 'yes', '--tls-cluster', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000'] : []),
      ];
      const child = spawn('redis-server', [...args, '--logfile', join(dir, `redis-${port}.log`)], { stdio: 'ignore' });
      this.children.push(child);
      notePid(child.pid);
    }
    await Promise.all(this.ports.map((p) => this.waitPing(p)));
    if (this.opts.clusterMasters) await this.formCluster();
  }

  /** redis-cli over TLS with the test's certificate and login. */
  async cli(port: number, ...args: string[]): Promise<string> {
    const { server, ca, user } = this.opts;
    const { stdout } = await run('redis-cli', ['--tls', '--cacert', ca, '--cert', server.cert, '--key', server.key, '--user', user.name, '--pass', user.password, '--no-auth-warning',
      '-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 30_000 });
    return stdout;
  }

  private async formCluster(): Promise<void> {
    await this.cli(this.ports[0], '--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(this.ports.map((p) => this.cli(p, 'CLUSTER', 'INFO')));
      if (states.every((s) => /cluster_state:ok/.test(s))) return;
      if (Date.now() > deadline) throw new Error(`private TLS redis cluster did not become ok: ${states.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits until the port answers a TLS handshake and a PING (refused or not: the server is up). */
  private async waitPing(port: number): Promise<void> {
    const { server, ca } = this.opts;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port, ca: readFileSync(ca), cert: readFileSync(server.cert), key: readFileSync(server.key) }, () => s.write('PING\r\n'));
        s.setTimeout(1_000, () => (s.destroy(), resolve(false)));
        s.once('data', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`private TLS redis on ${port} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    }));
  }
}
