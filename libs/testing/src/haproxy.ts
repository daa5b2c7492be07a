import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { testOutputDir } from './processes';

/** One front of the proxy: listens on `listen` and forwards to 127.0.0.1:`target`, with a PROXY header when asked. */
export interface HaproxyRoute {
  name: string;
  listen: number;
  target: number;
  /** HAProxy's server option: `send-proxy` (v1), `send-proxy-v2`, or none. */
  proxyProtocol?: 'send-proxy' | 'send-proxy-v2';
}

/** The config the test hands HAProxy: TCP mode, one frontend and backend per route, loopback only. */
export function haproxyConfig(routes: readonly HaproxyRoute[]): string {
  const lines = ['global', '  maxconn 1000', 'defaults', '  mode tcp', '  timeout connect 5s', '  timeout client 120s', '  timeout server 120s', ''];
  for (const r of routes) {
    lines.push(`frontend ${r.name}_in`, `  bind 127.0.0.1:${r.listen}`, `  default_backend ${r.name}_out`, '');
    lines.push(`backend ${r.name}_out`, `  server s1 127.0.0.1:${r.target}${r.proxyProtocol ? ` ${r.proxyProtocol}` : ''}`, '');
  }
  return lines.join('\n');
}

/** A real HAProxy (Debian's `haproxy`) in the foreground with a generated config; stopped by the test. */
export class Haproxy {
  output = '';

  private constructor(private readonly child: ChildProcess) {}

  static async start(name: string, routes: readonly HaproxyRoute[]): Promise<Haproxy> {
    const dir = testOutputDir(name);
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(routes));
    const log = createWriteStream(join(dir, 'haproxy.log'), { flags: 'a' });
    // Debian installs it in /usr/sbin, which a non-root PATH may lack.
    const bin = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
    const child = spawn(bin, ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (process.env.IMGATE_TEST_PIDS && child.pid) appendFileSync(process.env.IMGATE_TEST_PIDS, `${child.pid}\n`);
    const h = new Haproxy(child);
    const keep = (c: Buffer) => {
      log.write(c);
      h.output += c.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => log.end());
    for (const r of routes) await h.waitListening(r.listen);
    return h;
  }

  private async waitListening(port: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`haproxy exited: ${this.output}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect({ port, host: '127.0.0.1' }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`haproxy did not listen on ${port}: ${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
