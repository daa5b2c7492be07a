// What one connection keeps on the V8 heap, by object type: the difference between a heap
// snapshot taken with N connections and one taken after they closed, divided by N. Runs in its
// own process (a snapshot of 20k connections parses into a few GB): forked by the bench with
// `node --max-old-space-size=6144 heap-summary.js <loaded> <closed> <N>`, answers over IPC.
import { readFileSync } from 'node:fs';

export interface HeapTypeDiff {
  type: string;
  perConn: number;
  bytesPerConn: number;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function byType(file: string): Map<string, [number, number]> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [iType, iName, iSize, n] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size'), fields.length];
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < s.nodes.length; i += n) {
    const t = types[s.nodes[i + iType]];
    const name = t === 'object' ? s.strings[s.nodes[i + iName]] : t === 'closure' ? 'closure' : `(${t})`;
    const a = out.get(name) ?? [0, 0];
    a[0]++;
    a[1] += s.nodes[i + iSize];
    out.set(name, a);
  }
  return out;
}

export function heapDiff(loaded: string, closed: string, n: number, top = 30): { total: number; types: HeapTypeDiff[] } {
  const a = byType(loaded);
  const b = byType(closed);
  const rows: HeapTypeDiff[] = [];
  let total = 0;
  for (const [type, [count, bytes]] of a) {
    const [c0, b0] = b.get(type) ?? [0, 0];
    const d = { type, perConn: (count - c0) / n, bytesPerConn: (bytes - b0) / n };
    total += d.bytesPerConn;
    rows.push(d);
  }
  rows.sort((x, y) => y.bytesPerConn - x.bytesPerConn);
  return { total, types: rows.slice(0, top) };
}

if (require.main === module) {
  const [loaded, closed, n] = process.argv.slice(2);
  process.send?.({ type: 'heap', ...heapDiff(loaded, closed, Number(n)) });
  process.disconnect?.();
}
