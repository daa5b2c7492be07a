import type { SystemResult } from '../sections/fanout';
import type { LatencyResult } from '../sections/latency';
import type { MemResult } from '../sections/memory';
import type { StreamsResult } from '../sections/streams';
import { fmt, fmtInt, median } from './stats';

// The "reliable delivery: streams on vs off" part of the report (issue 11's targets): console lines
// and the docs/benchmarks.md section.

export interface StreamsTarget {
  name: string;
  /** A ratio (on / off), or for latency the difference on − off in ms. */
  value: number;
  bound: number;
  /** 'max': value must stay at or under bound; 'min': at or over. */
  kind: 'max' | 'min';
  unit: '×' | 'ms';
  detail: string;
}

const kib = (b: number) => `${(b / 1024).toFixed(2)} KiB`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const ms = (x: number) => `${fmt(x, 1)} ms`;

function fanoutOf(s: StreamsResult, key: 'streams-on' | 'streams-off'): SystemResult | undefined {
  return s.fanout.find((x) => x.key === key);
}

export function streamsTargets(s: StreamsResult): StreamsTarget[] {
  const out: StreamsTarget[] = [];
  const [on, off] = [fanoutOf(s, 'streams-on'), fanoutOf(s, 'streams-off')];
  if (on && off) out.push({ name: 'room fan-out, full path, streams on vs off', value: on.median / off.median, bound: 0.7, kind: 'min', unit: '×', detail: `${fmtInt(on.median)} vs ${fmtInt(off.median)} msgs/s` });
  const { on: lo, off: lf } = s.latency;
  out.push({ name: 'push latency p99 to a user, streams on − off', value: lo.p99 - lf.p99, bound: 5, kind: 'max', unit: 'ms', detail: `p99 ${ms(lo.p99)} vs ${ms(lf.p99)}` });
  const [mo, mf] = [s.memory.on.points[0], s.memory.off.points[0]];
  if (mo && mf) {
    const at = fmtInt(mo.connections);
    out.push({ name: `memory/connection, heap, opted-in vs goim client @ ${at}`, value: mo.heapPerConn / mf.heapPerConn, bound: 1.1, kind: 'max', unit: '×', detail: `${kib(mo.heapPerConn)} vs ${kib(mf.heapPerConn)}` });
    out.push({ name: `memory/connection, RSS, opted-in vs goim client @ ${at}`, value: mo.rssPerConn / mf.rssPerConn, bound: 1.1, kind: 'max', unit: '×', detail: `${kib(mo.rssPerConn)} vs ${kib(mf.rssPerConn)}` });
  }
  return out;
}

function met(t: StreamsTarget): boolean {
  return t.kind === 'max' ? t.value <= t.bound : t.value >= t.bound;
}

function verdict(t: StreamsTarget): string {
  if (met(t)) return 'met';
  const by = t.unit === 'ms' ? ms(t.value - t.bound) : `${((t.kind === 'max' ? t.value / t.bound - 1 : 1 - t.value / t.bound) * 100).toFixed(1)}%`;
  return `**missed** by ${by}`;
}

const value = (t: StreamsTarget) => (t.unit === 'ms' ? `${t.value >= 0 ? '+' : ''}${fmt(t.value, 1)} ms` : `${fmt(t.value)}×`);
const bound = (t: StreamsTarget) => `${t.kind === 'max' ? '≤' : '≥'} ${t.unit === 'ms' ? `+${t.bound} ms` : `${t.bound}×`}`;

/** Server and pipeline CPU of the median run, in cores. */
function cpu(s: SystemResult): string {
  const g = (k: string) => fmt(median(s.runs.map((r) => r.cpu.groups[k] ?? Number.NaN)));
  return `comet ${g('server')}, logic + job ${g('pipeline')}, kafka ${g('kafka')}, redis ${g('redis')}, clients ${g('clients')}`;
}

export function streamsConsole(s: StreamsResult): string[] {
  const lines = ['', `Reliable delivery: streams on vs off (full path, ${fmtInt(s.members)} members):`];
  for (const m of [s.memory.on, s.memory.off]) for (const p of m.points) lines.push(`  ${m.label.padEnd(38)} @ ${String(p.connections).padStart(6)}: RSS ${kib(p.rssPerConn).padStart(11)}  heap ${kib(p.heapPerConn).padStart(11)}`);
  for (const f of s.fanout) lines.push(`  ${f.label.padEnd(38)} ${fmtInt(f.median).padStart(11)} msgs/s (median; runs ${f.runs.map((r) => fmtInt(r.rate)).join(' / ')})`);
  for (const l of [s.latency.on, s.latency.off]) lines.push(`  ${l.label.padEnd(38)} @ ${l.rate}/s: p50 ${fmt(l.p50, 1)} ms  p99 ${fmt(l.p99, 1)} ms  p999 ${fmt(l.p999, 1)} ms  (${fmtInt(l.samples)} samples)`);
  lines.push('', 'Targets (issue 11):');
  for (const t of streamsTargets(s)) lines.push(`  ${t.name.padEnd(62)} ${value(t)} (${bound(t)})  ${verdict(t).replace(/\*/g, '')}  [${t.detail}]`);
  return lines;
}

function memRows(x: MemResult): string[] {
  return [`| ${x.label} | idle | ${mib(x.base.rss)} | | ${mib(x.base.heap)} | |`, ...x.points.map((p) => `| ${x.label} | ${fmtInt(p.connections)} | ${mib(p.sample.rss)} | **${kib(p.rssPerConn)}** | ${mib(p.sample.heap)} | **${kib(p.heapPerConn)}** |`)];
}

function latencyRow(l: LatencyResult): string {
  return `| ${l.label} | ${l.rate}/s | ${fmtInt(l.sent)} | ${fmtInt(l.samples)} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${l.httpP50 !== undefined ? `${fmt(l.httpP50, 1)} / ${fmt(l.httpP99 ?? Number.NaN, 1)} ms` : ''} |`;
}

/** The docs/benchmarks.md section, numbered `n`. */
export function streamsMarkdown(s: StreamsResult, n: number, bodySize: number): string[] {
  const L: string[] = [];
  L.push(`## ${n}. Reliable delivery: streams on vs off`, '');
  L.push(
    `What reliable delivery ([docs/delivery.md](delivery.md)) costs, measured in this run after the sections above: two more imgate clusters side by side, the same build and settings (logic, one comet and job each, on the same Redis and Kafka), one with logic's default \`LOGIC_STREAMS=on\` and clients that opt in (\`"delivery": true\` in op 7: every room message arrives as an op-27 packet carrying stream \`r:live://bench\`, epoch, offset and id, 39 bytes more than goim's packet, and logic appends each push to its stream in Redis before the Kafka write), the other with \`LOGIC_STREAMS=off\` and goim clients (logic still gives each push an id; no stream, no op 27).`,
    '',
    `- **Memory**: each comet idle, then ${fmtInt(s.members)} authenticated connections (opted-in on one, goim on the other), sampled as in section 1.`,
    `- **Fan-out**: the full path (\`POST /goim/push/room\` → logic → Kafka → job → comet) to those ${fmtInt(s.members)} members, ${bodySize}-byte messages, run as in section 2 (rounds alternated between the two).`,
    '- **Latency**: `POST /goim/push/mids` round robin over 20 users whose clients run in the driver (opted-in on the streams-on cluster), in four halves off → on → on → off so drift on the shared machine favours neither side; the halves of each side are pooled.',
    '',
  );
  L.push('| target (issue 11) | measured | bound | figures | result |', '|---|---:|---:|---|---|');
  for (const t of streamsTargets(s)) L.push(`| ${t.name} | ${value(t)} | ${bound(t)} | ${t.detail} | ${verdict(t)} |`);
  L.push('');
  L.push('| comet | connections | RSS | RSS / connection | heap used | heap / connection |', '|---|---:|---:|---:|---:|---:|');
  L.push(...memRows(s.memory.on), ...memRows(s.memory.off), '');
  L.push('| room fan-out | delivered msgs/s (median) | runs | all delivered | sampled checks | CPU in cores (median run) |', '|---|---:|---|---|---|---|');
  for (const f of s.fanout) {
    const lost = f.runs.reduce((a, x) => a + (x.expected - x.delivered), 0);
    const v = f.verify;
    L.push(`| ${f.label} | **${fmtInt(f.median)}** | ${f.runs.map((x) => fmtInt(x.rate)).join(' / ')} | ${lost === 0 ? 'yes' : `**${fmtInt(lost)} missing**`} | ${fmtInt(v.messages)} msgs: ${v.gaps} missing, ${v.dups} repeated, ${v.bad} malformed | ${cpu(f)} |`);
  }
  L.push('');
  L.push('| push | rate | messages | samples | p50 | p90 | p99 | p999 | max | HTTP answer p50 / p99 |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  L.push(latencyRow(s.latency.on), latencyRow(s.latency.off), '');
  return L;
}
