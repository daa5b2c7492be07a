import { type NodeInfo, nodesFromLogicReply } from './node-list.js';
import type { FetchLike } from './options.js';
import type { Timers } from './timers.js';
import { textOf } from './wire.js';

/** logic's node list URL: `/goim/nodes/weighted` under the base, unless a nodes path was given. */
export function nodesUrl(logicUrl: string): string {
  const base = logicUrl.replace(/\/+$/, '');
  return /\/(goim|v1)\/nodes/.test(base) ? base : `${base}/goim/nodes/weighted`;
}

/** Reads the comets logic suggests, best first; throws on any failure (the caller keeps its last list). */
export async function fetchNodes(fetchFn: FetchLike, url: string, timers: Timers, timeoutMs: number): Promise<NodeInfo[]> {
  const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = timers.setTimeout(() => abort?.abort(), timeoutMs);
  try {
    const res = await fetchFn(url, { signal: abort?.signal });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return nodesFromLogicReply(await res.json());
  } finally {
    timers.clearTimeout(timer);
  }
}

/** The `nodes` of an op-20 body (`[{id, ws, tcp, kcp, wss, tls}]`, best first), without the node being left. */
export function suggestedNodes(body: Uint8Array, leaving: string): NodeInfo[] {
  try {
    const o = JSON.parse(textOf(body)) as { nodes?: unknown } | null;
    const nodes = Array.isArray(o?.nodes) ? nodesFromLogicReply(o.nodes) : [];
    return nodes.filter((n) => ![n.ws, n.wss, n.tcp, n.tls, n.kcp].includes(leaving));
  } catch {
    return [];
  }
}
