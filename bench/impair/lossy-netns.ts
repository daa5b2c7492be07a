import { execFileSync } from 'node:child_process';

/**
 * Kernel-level loss: a network namespace joined to the host by a veth pair, with an nftables
 * rule on the ingress of *both* ends that drops each IP packet with probability p (`numgen
 * random`). Nothing is dropped in an output path, so senders never see an error: the real TCP
 * stack (RACK/SACK, tail-loss probes, RTO backoff) and KCP find out as they would on a real
 * link. This stands in for `tc netem loss`, which this kernel lacks (CONFIG_NET_SCH_NETEM unset);
 * it adds no delay, so the RTT is the veth's (tens of microseconds).
 *
 * Everything is named after the owning pid, so a crashed run's leftovers can be told apart and
 * swept (only ours: names start with `imgate-kl-` / `ikl`).
 */
export class LossyNetns {
  readonly ns: string;
  readonly hostIf: string;
  readonly nsIf: string;
  readonly hostIp: string;
  readonly nsIp: string;
  private readonly table: string;
  private up = false;

  constructor(readonly id = process.pid) {
    this.ns = `imgate-kl-${id}`;
    this.hostIf = `ikl${id}h`;
    this.nsIf = `ikl${id}n`;
    this.table = `imgate_kl_${id}`;
    const net = 16 + (id % 240);
    this.hostIp = `10.213.${net}.1`;
    this.nsIp = `10.213.${net}.2`;
  }

  /** Whether this machine can do it: root, `ip` and `nft`, and namespaces in the kernel. */
  static probe(): { ok: true } | { ok: false; why: string } {
    if (process.getuid?.() !== 0) return { ok: false, why: 'not root' };
    for (const tool of ['ip', 'nft']) {
      try {
        execFileSync(tool, ['-V'], { stdio: 'ignore' });
      } catch {
        return { ok: false, why: `\`${tool}\` is missing (apt-get install -y ${tool === 'ip' ? 'iproute2' : 'nftables'})` };
      }
    }
    const probe = new LossyNetns(900_000 + (process.pid % 90_000));
    try {
      probe.create();
      probe.setLoss(0.5);
      return { ok: true };
    } catch (err) {
      return { ok: false, why: (err as Error).message.split('\n')[0] };
    } finally {
      probe.destroy();
    }
  }

  /** Removes what an earlier run of this bench left behind when its process is gone. */
  static sweepStale(): void {
    const dead = (pid: number) => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    let names: string[] = [];
    try {
      names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]);
    } catch {
      return;
    }
    for (const name of names) {
      const m = /^imgate-kl-(\d+)$/.exec(name);
      if (m && dead(Number(m[1]))) new LossyNetns(Number(m[1])).destroy(true);
    }
  }

  create(): void {
    this.up = true;
    this.sh('ip', 'netns', 'add', this.ns);
    this.sh('ip', 'link', 'add', this.hostIf, 'type', 'veth', 'peer', 'name', this.nsIf);
    this.sh('ip', 'link', 'set', this.nsIf, 'netns', this.ns);
    this.sh('ip', 'addr', 'add', `${this.hostIp}/30`, 'dev', this.hostIf);
    this.sh('ip', 'link', 'set', this.hostIf, 'up');
    this.inNs('ip', 'addr', 'add', `${this.nsIp}/30`, 'dev', this.nsIf);
    this.inNs('ip', 'link', 'set', this.nsIf, 'up');
    this.inNs('ip', 'link', 'set', 'lo', 'up');
    this.setLoss(0);
  }

  /** The command line that runs `argv` inside the namespace. */
  wrap(argv: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.ns, ...argv]];
  }

  /** Replaces both ingress rules (atomically per table) with drop probability p. */
  setLoss(p: number): void {
    if (!(p >= 0 && p < 1)) throw new Error(`loss ${p} not in [0, 1)`);
    const threshold = Math.round(p * 1_000_000);
    const ruleset = (dev: string) => [
      `table netdev ${this.table} {}`,
      `delete table netdev ${this.table}`,
      `table netdev ${this.table} {`,
      `  chain ingress {`,
      `    type filter hook ingress device "${dev}" priority 0; policy accept;`,
      `    meta protocol ip counter name seen`,
      threshold > 0 ? `    meta protocol ip numgen random mod 1000000 < ${threshold} counter name dropped drop` : '',
      `  }`,
      `  counter seen {}`,
      `  counter dropped {}`,
      `}`,
    ].join('\n');
    this.sh('nft', '-f', '-', { input: ruleset(this.hostIf) });
    this.inNs('nft', '-f', '-', { input: ruleset(this.nsIf) });
  }

  /** IP packets seen and dropped on both ingresses since the last setLoss. */
  counters(): { seen: number; dropped: number } {
    const read = (json: string) => {
      const out = { seen: 0, dropped: 0 };
      const doc = JSON.parse(json) as { nftables: Array<{ counter?: { name: string; packets: number } }> };
      for (const item of doc.nftables) {
        if (item.counter?.name === 'seen') out.seen = item.counter.packets;
        if (item.counter?.name === 'dropped') out.dropped = item.counter.packets;
      }
      return out;
    };
    const host = read(this.sh('nft', '-j', 'list', 'counters', 'table', 'netdev', this.table));
    const ns = read(this.inNs('nft', '-j', 'list', 'counters', 'table', 'netdev', this.table));
    return { seen: host.seen + ns.seen, dropped: host.dropped + ns.dropped };
  }

  /** Idempotent; never throws (it runs from exit and signal handlers). `force`: even if not created here. */
  destroy(force = false): void {
    if (!this.up && !force) return;
    this.up = false;
    const quiet = (...argv: string[]) => {
      try {
        execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' });
      } catch {
        // already gone
      }
    };
    quiet('nft', 'delete', 'table', 'netdev', this.table);
    quiet('ip', 'link', 'del', this.hostIf);
    quiet('ip', 'netns', 'del', this.ns);
  }

  private sh(...argv: Array<string | { input: string }>): string {
    const last = argv.at(-1);
    const input = typeof last === 'object' ? last.input : undefined;
    const args = argv.filter((a): a is string => typeof a === 'string');
    return execFileSync(args[0], args.slice(1), { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  }

  private inNs(...argv: Array<string | { input: string }>): string {
    return this.sh('ip', 'netns', 'exec', this.ns, ...argv);
  }
}
