import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { Transport } from './client-agent.main';
import type { DropCounters, ImpairmentKind } from './impairment';

export const START = '<!-- kcp-loss:start -->';
export const END = '<!-- kcp-loss:end -->';
/** The acceptance target: at 10% loss, KCP's p99 at most a third of TCP's. */
export const TARGET_LOSS = 0.1;
export const TARGET_RATIO = 1 / 3;

export interface LevelResult {
  kind: ImpairmentKind;
  loss: number;
  pushed: number;
  httpErrors: number;
  drops: DropCounters[];
  /** Delivery latencies in ms per transport (one entry per push per client). */
  latencies: Record<Transport, number[]>;
  /** Expected receipts per transport (pushes × clients). */
  expected: number;
  /** Latency (ms) per push in push order, client after client; null: never arrived. */
  byPush: Record<Transport, Array<number | null>>;
}

export interface RunInfo {
  command: string;
  mode: 'quick' | 'full';
  pushes: number;
  rate: number;
  clients: number;
  rttMs: number;
  /** Non-zero: an experiment ran with the comet's KCP RTO floor patched to this (ms). */
  cometKcpMinRto: number;
  startedAt: Date;
  seconds: number;
  /** 1-minute load average at the start, its highest sample during the run, at the end. */
  load: { start: number; max: number; end: number };
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Quantiles over `expected` deliveries: those that never came count as infinitely late. */
export function summarize(xs: number[], expected = xs.length): Summary {
  const s = [...xs, ...Array.from({ length: Math.max(0, expected - xs.length) }, () => Infinity)].sort((a, b) => a - b);
  return { n: xs.length, p50: quantile(s, 0.5), p90: quantile(s, 0.9), p99: quantile(s, 0.99), max: s.at(-1) ?? Number.NaN };
}

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : x === Infinity ? 'not delivered' : '—');
const pct = (x: number) => `${Math.round(x * 100)}%`;
const NAMES: Record<Transport, string> = { kcp: 'KCP', tcp: 'TCP', ws: 'WebSocket' };
const TRANSPORT_ORDER: Transport[] = ['kcp', 'tcp', 'ws'];

/**
 * What the transport itself added: each delivery minus the fastest of the three for the same push
 * (pipeline hiccups in Kafka or job hit all three alike and cancel out).
 */
export function excess(r: LevelResult, t: Transport): number[] {
  const out: number[] = [];
  r.byPush[t].forEach((x, i) => {
    const all = TRANSPORT_ORDER.map((u) => r.byPush[u][i]).filter((v): v is number => v !== null);
    if (all.length > 0) out.push(x === null ? Infinity : x - Math.min(...all));
  });
  return out;
}

export function ratio(r: LevelResult): number {
  return summarize(r.latencies.kcp, r.expected).p99 / summarize(r.latencies.tcp, r.expected).p99;
}

/** Per-transport latencies, then the KCP/TCP comparison, as Markdown tables. */
export function tables(results: LevelResult[]): string {
  const lines = ['| path | loss | dropped (measured) | transport | delivered | p50 | p90 | p99 | max |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const drops = r.drops.map((d) => `${d.seen ? ((100 * d.dropped) / d.seen).toFixed(1) : '0.0'}% of ${d.seen} ${d.unit}`).join('; ');
    for (const t of TRANSPORT_ORDER) {
      const s = summarize(r.latencies[t], r.expected);
      lines.push(`| ${r.kind} | ${pct(r.loss)} | ${t === 'kcp' ? drops : ''} | ${NAMES[t]} | ${s.n}/${r.expected} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} |`);
    }
  }
  lines.push(
    '',
    '| path | loss | KCP p99 | TCP p99 | WebSocket p99 | **KCP p99 / TCP p99** | p99 added by the transport: KCP / TCP / WebSocket |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    const [k, t, w] = TRANSPORT_ORDER.map((x) => summarize(r.latencies[x], r.expected).p99);
    const added = TRANSPORT_ORDER.map((x) => ms(summarize(excess(r, x)).p99)).join(' / ');
    const x = ratio(r);
    const mark = r.loss === TARGET_LOSS ? (x <= TARGET_RATIO ? ' (target ≤ 0.33: met)' : ' (target ≤ 0.33: **missed**)') : '';
    lines.push(`| ${r.kind} | ${pct(r.loss)} | ${ms(k)} | ${ms(t)} | ${ms(w)} | ${x.toFixed(2)}${mark} | ${added} |`);
  }
  return lines.join('\n');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}`;
}

/** The whole docs block, markers included. */
export function section(results: LevelResult[], run: RunInfo): string {
  const kinds = [...new Set(results.map((r) => r.kind))];
  const verdicts = kinds.map((k) => {
    const r = results.find((x) => x.kind === k && x.loss === TARGET_LOSS);
    if (!r) return `- ${k} path: 10% loss not measured in this run.`;
    const x = ratio(r);
    return `- **${k}** path, 10% loss: KCP p99 / TCP p99 = **${x.toFixed(2)}** — target (≤ 0.33) ${x <= TARGET_RATIO ? 'met' : '**missed**'}.`;
  });
  const { start, max, end } = run.load;
  return [
    START,
    '## KCP, TCP and WebSocket under packet loss',
    '',
    `Generated by \`${run.command}\` (${run.mode} mode) on ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${Math.round(run.seconds)} s.`,
    ...(run.cometKcpMinRto > 0 ? [`**Experiment:** the comet's KCP minimum RTO was patched to ${run.cometKcpMinRto} ms (stock: 30 ms in nodelay mode).`] : []),
    `Machine: ${machine()}; Redis and a single-node KRaft Kafka on the same machine; 1-minute load average ${start.toFixed(2)} at the start, ${end.toFixed(2)} at the end, ${max.toFixed(2)} at most (${cpus().length} cores: well above that, other work competed with the run).`,
    '',
    `**What is measured.** One user (one \`mid\`) holds ${run.clients === 1 ? 'one connection' : `${run.clients} connections`} per transport — KCP (UDP), raw TCP and WebSocket — to one comet, through a lossy path. At each loss level the bench pushes ${run.pushes} messages at ${run.rate}/s to that user through the full path (\`POST /goim/push/mids\` → logic → Kafka → job → comet gRPC → client), so each push reaches the three transports at the same moment and the comparison is paired: the Kafka/job hop adds the same latency to each. Latency is push sent (just before the HTTP request) → packet decoded by the client, both on the machine's monotonic clock. Clients connect and authenticate with the loss off; then the loss is switched on, 20 warm-up pushes are discarded, and the measured pushes follow. Loss applies to each direction independently (data and acknowledgements alike). The last column subtracts, push by push, the fastest of the three deliveries, leaving what the transport itself added (a Kafka or job hiccup delays all three and cancels out). A push still missing 30 s after the last one counts as infinitely late ("not delivered"). Raw per-push latencies go to \`test-output/bench-kcp-loss/\`.`,
    '',
    tables(results),
    '',
    ...verdicts,
    '',
    '**The lossy paths.**',
    '',
    "- **kernel** (the faithful one, `bench/impair/lossy-netns.ts`): the clients run in a network namespace joined to the host by a veth pair; an nftables rule on the ingress of both veth ends drops each IP packet with probability p (`numgen random`). Nothing is dropped on an output path, so no sender sees an error: the real TCP stack recovers as on a lossy link (SACK/RACK, tail-loss probe, RTO floored at 200 ms with exponential backoff, congestion window back to one segment after a timeout), and KCP runs its own ARQ. `tc netem` is the usual tool, but this kernel is built without it (`CONFIG_NET_SCH_NETEM` unset), so no delay is added: the RTT is the veth's, tens of microseconds.",
    `- **relay** (a model, \`bench/impair/{udp,tcp}.relay.ts\`, run with RTT ${run.rttMs} ms): a userspace proxy on 127.0.0.1 in its own process. UDP datagrams are dropped with probability p in each direction. A TCP byte stream cannot lose bytes in userspace (the kernels on either side would never retransmit them), so loss is modelled as what it costs TCP (\`bench/impair/stall-model.ts\`): the stream is cut into 1448-byte segments; each transmission is lost with probability p; a lost segment arrives when Linux would retransmit it — one RTT after a later segment gets through (SACK/RACK), else after the timeout rtt + 200 ms — and each lost retransmission waits a doubled timeout; later bytes wait behind it (head-of-line blocking). ACK loss and the congestion window are not modelled, so the model is kinder to TCP than the kernel path at high loss. Its dropped column counts modelled segment transmissions.`,
    '',
    "**Reading the numbers.** A lost KCP segment costs about one KCP retransmission timeout: srtt + max(interval, 4·rttvar), floored at 30 ms in nodelay mode and checked on the comet's 10 ms tick; a lost retransmission adds 1.5× that (nodelay backoff). A lost TCP segment costs one RTT of the next segment's SACK when more data follows soon, else a 200 ms+ timeout, and a lost retransmission (or its lost ACK, after which the window is one segment) doubles it: 200, 400, 800 ms…, with every later message queued behind. That tail is what KCP removes. WebSocket rides TCP and behaves alike.",
    '',
    "**Caveats.** Loopback and veth have no bandwidth limit, no queueing and almost no RTT; a mobile link has all three. A longer RTT raises KCP's timeout with it, while TCP's stays rtt + 200 ms (try the relay with `--rtt 60`). p99 over a few hundred pushes rests on a handful of the slowest deliveries, and one TCP stall delays every push queued behind it: use `--full` (1,000 pushes per level) for steadier tails. Other work on the machine during the run shows in the load average above and in the 0% row.",
    END,
  ].join('\n');
}

/** Replaces only the block between the markers (appending it when absent); creates the file if missing. */
export function writeSection(path: string, block: string): void {
  if (!existsSync(path)) return writeFileSync(path, `${block}\n`);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start >= 0 && end >= 0) writeFileSync(path, text.slice(0, start) + block + text.slice(end + END.length));
  else writeFileSync(path, `${text}${text.endsWith('\n') || text.length === 0 ? '' : '\n'}\n${block}\n`);
}
