import type { HeapBreakdown } from '../sections/heap';
import type { BenchResults } from './report';
import { fmt, fmtInt } from './stats';

// The "what a connection keeps" part of docs/benchmarks.md: heap by object type, and the findings
// those types point at in the code (each printed only while the data still shows it).

function heapOf(r: BenchResults, label: string): HeapBreakdown | undefined {
  return r.heaps.find((h) => h.label === label);
}

function perConnType(h: HeapBreakdown | undefined, type: string): { perConn: number; bytesPerConn: number } | undefined {
  return h?.types.find((t) => t.type === type);
}

export function heapSection(r: BenchResults): string[] {
  const c = heapOf(r, 'comet');
  const b = heapOf(r, 'bare ws');
  if (!c || !b) return [];
  const out: string[] = [];
  out.push(
    `What one connection keeps on the V8 heap, by object type: a heap snapshot with the fan-out room connected (${fmtInt(c.connections)} connections), minus one taken after they closed, divided by the number of connections (taken at the end of the run). \`(array)\`, \`(string)\`, \`(hidden)\` and \`closure\` are V8 internals: backing stores of arrays, Maps and Sets, strings, listener closures.`,
    '',
    `| object type | comet: objects / conn | comet: bytes / conn | bare ws: objects / conn | bare ws: bytes / conn |`,
    '|---|---:|---:|---:|---:|',
  );
  const types = [...new Set([...c.types.slice(0, 16).map((t) => t.type), ...b.types.slice(0, 6).map((t) => t.type)])];
  for (const t of types) {
    const x = perConnType(c, t);
    const y = perConnType(b, t);
    const cell = (v?: { perConn: number; bytesPerConn: number }) => (v ? [fmt(v.perConn), fmtInt(v.bytesPerConn)] : ['', '']);
    out.push(`| \`${t}\` | ${cell(x).join(' | ')} | ${cell(y).join(' | ')} |`);
  }
  out.push(`| **all types** | | **${fmtInt(c.total)}** | | **${fmtInt(b.total)}** |`, '');
  return out;
}

/** Findings that hold while the data shows them (they disappear from the report once fixed). */
export function heapFindings(r: BenchResults): string[] {
  const c = heapOf(r, 'comet');
  const b = heapOf(r, 'bare ws');
  const out: string[] = [];
  const req = perConnType(c, 'IncomingMessage');
  if (req && req.perConn >= 0.9 && !((perConnType(b, 'IncomingMessage')?.perConn ?? 0) >= 0.9)) {
    out.push(
      `- **comet keeps every connection's HTTP upgrade request alive** (${fmt(req.perConn)} \`IncomingMessage\` per connection, ${fmtInt(req.bytesPerConn)} B for the object alone, more for its headers' strings and arrays and its \`ReadableState\`; the bare server keeps none). In \`apps/comet/src/transport/ws.listener.ts\` the \`upgrade\` handler registers \`socket.on('error', () => undefined)\` in the same scope as \`(ws) => this.accept(ws, socket, req)\`; V8 gives both closures one context holding \`req\` (and \`head\`), and the error listener lives as long as the socket. Fix: read \`req.socket.remoteAddress\` before \`handleUpgrade\` and pass that string to \`accept\`, and register a module-level no-op as the error listener.`,
    );
  }
  const sd = perConnType(c, 'StreamDecoder');
  const u8 = perConnType(c, 'Uint8Array');
  if (sd && sd.perConn >= 0.9 && u8 && u8.perConn >= 0.9) {
    out.push(
      `- **a decoder with its own scratch bytes per connection**: every \`StreamDecoder\` (\`libs/protocol/src/stream-decoder.ts\`, ${fmtInt(sd.bytesPerConn)} B) allocates a 6-byte \`framing\` \`Uint8Array\` (${fmtInt(u8.bytesPerConn + (perConnType(c, 'ArrayBuffer')?.bytesPerConn ?? 0))} B with its \`ArrayBuffer\`) and a \`chunks\` array. Decoding is synchronous, so one module-level scratch buffer can serve every decoder, and a WebSocket connection (whole packets in each message) needs no chunk list.`,
    );
  }
  const timer = perConnType(c, 'Timeout');
  if (timer && timer.perConn >= 0.9 && !((perConnType(b, 'Timeout')?.perConn ?? 0) >= 0.9)) {
    out.push(
      `- **a Node timer per connection** for the handshake and heartbeat deadlines (\`Timeout\`, ${fmtInt(timer.bytesPerConn)} B, and the callback it holds). goim checks these deadlines from a timing wheel; a per-bucket sweep over a \`lastSeen\` number per connection would drop the timer from every connection.`,
    );
  }
  const sets = perConnType(c, 'Set');
  if (sets && sets.perConn >= 1.9 && !((perConnType(b, 'Set')?.perConn ?? 0) >= 0.9)) {
    out.push(
      `- **two \`Set\`s per connection** (${fmt(sets.perConn)}: \`rooms\` and \`accepts\` in \`Connection\`, ${fmtInt(sets.bytesPerConn)} B plus their hash tables, which the snapshot counts under \`(array)\`). Most connections are in one room and accept a few operations: the main room as a string with a set created only for a second room, and one shared frozen set per distinct \`accepts\` list, would keep an idle connection's share small.`,
    );
  }
  const eager = ['RoomOps', 'Promise'].map((t) => [t, perConnType(c, t)] as const).filter(([, v]) => v && v.perConn >= 0.9);
  if (eager.length) {
    out.push(
      `- **helpers made before they are needed**: ${eager.map(([t, v]) => `\`${t}\` (${fmtInt(v!.bytesPerConn)} B)`).join(', ')} per connection: \`Connection\` creates its \`RoomOps\`, its upstream chain (\`Promise.resolve()\`) and its \`early\` packet array up front; created on first use (or, for \`RoomOps\`, made stateless), an idle connection would not pay for them.`,
    );
  }
  const dec = perConnType(c, 'TextDecoder');
  if (dec && dec.perConn >= 0.9) {
    out.push(
      `- **a \`TextDecoder\` per connection** (${fmt(dec.perConn)} per connection, ${fmtInt(dec.bytesPerConn)} B each): \`RoomOps\` (\`apps/comet/src/connection/room-ops.ts\`) creates one per connection to decode op-12/23 room names; a module-level decoder does the same work.`,
    );
  }
  return out;
}
