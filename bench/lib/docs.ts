import { repoRoot } from '@imgate/testing';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chart } from './chart';
import { type BenchResults, markdown } from './report';

/** docs/benchmarks.md and its chart, docs/benchmarks/results.svg. */
export function writeDocs(r: BenchResults): void {
  const docs = join(repoRoot(), 'docs');
  mkdirSync(join(docs, 'benchmarks'), { recursive: true });
  const [c, b] = [r.memory.comet, r.memory.bare];
  const memGroups = c.points.flatMap((p) => [`RSS @${p.connections / 1000}k`, `heap @${p.connections / 1000}k`]);
  const svg = chart(`imgate benchmarks (${r.mode} mode, ${r.date.slice(0, 10)}, ${r.machine.nproc} cores, one machine)`, [
    {
      title: 'Memory per idle connection',
      unit: 'KiB per connection (lower is better)',
      groups: memGroups,
      series: [
        { name: 'comet', color: '#2b6cb0', values: c.points.flatMap((p) => [p.rssPerConn / 1024, p.heapPerConn / 1024]) },
        { name: 'bare ws', color: '#a0aec0', values: b.points.flatMap((p) => [p.rssPerConn / 1024, p.heapPerConn / 1024]) },
      ],
    },
    {
      title: `Room fan-out, ${(r.fanout[0]?.members ?? 0).toLocaleString('en-US')} members`,
      unit: 'messages delivered per second (higher is better)',
      groups: r.fanout.map((s) => ({ bare: 'bare ws', comet: 'comet alone', full: 'full path', sio: 'Socket.IO', 'streams-on': 'streams on', 'streams-off': 'streams off' })[s.key]),
      series: [{ name: 'median run', color: '#2b6cb0', colors: r.fanout.map((s) => ({ bare: '#a0aec0', comet: '#2b6cb0', full: '#2f855a', sio: '#c05621', 'streams-on': '#2f855a', 'streams-off': '#a0aec0' })[s.key]), values: r.fanout.map((s) => s.median) }],
    },
    {
      title: 'Push latency, full path',
      unit: 'milliseconds (lower is better)',
      groups: ['p50', 'p99', 'p999'],
      series: r.latency.map((l, i) => ({ name: `${l.label.replace(/ \(mids\)$/, '')} @${l.rate}/s`, color: ['#2b6cb0', '#2f855a'][i], values: [l.p50, l.p99, l.p999] })),
    },
  ]);
  writeFileSync(join(docs, 'benchmarks', 'results.svg'), svg);
  // The KCP loss bench (npm run bench:kcp) owns its own block of this file: carry it over.
  const target = join(docs, 'benchmarks.md');
  const previous = existsSync(target) ? readFileSync(target, 'utf8') : '';
  const kcp = /<!-- kcp-loss:start -->[\s\S]*?<!-- kcp-loss:end -->/.exec(previous)?.[0];
  writeFileSync(target, markdown(r, 'benchmarks/results.svg') + (kcp ? `\n${kcp}\n` : ''));
}
