/** The transports a comet serves: WebSocket (`/sub`) plain and secure, raw TCP plain and inside TLS, KCP over UDP. */
export type TransportKind = 'ws' | 'wss' | 'tcp' | 'tls' | 'kcp';

const KINDS: readonly TransportKind[] = ['ws', 'wss', 'tcp', 'tls', 'kcp'];

/** One comet as a client sees it: an id and an address per transport it serves. */
export interface NodeInfo {
  id: string;
  /** `ws://host:port/sub`. */
  ws?: string;
  /** `wss://host:port/sub` (client TLS). */
  wss?: string;
  /** `host:port`. */
  tcp?: string;
  /** `host:port`: TCP inside TLS. */
  tls?: string;
  /** `host:port` (UDP). */
  kcp?: string;
}

/** A node to dial: which one, and its address for the chosen transport. */
export interface Candidate {
  node: NodeInfo;
  address: string;
}

/** `ws://…`, `wss://…` → WebSocket; `tcp://host:port` → TCP, `tls://host:port` → TCP inside TLS; `kcp://host:port` → KCP. */
export function parseNodeUrl(url: string): NodeInfo {
  const m = /^([a-z]+):\/\/([^\s]+)$/i.exec(url.trim());
  if (!m) throw new RangeError(`node ${JSON.stringify(url)} is not a ws://, wss://, tcp://, tls:// or kcp:// URL`);
  const scheme = m[1].toLowerCase();
  if (scheme === 'ws' || scheme === 'wss') return { id: url, [scheme]: url.trim() };
  const hostPort = m[2].replace(/\/+$/, '');
  parseHostPort(hostPort);
  if (scheme === 'tcp' || scheme === 'tls' || scheme === 'kcp') return { id: url, [scheme]: hostPort };
  throw new RangeError(`node ${JSON.stringify(url)} has an unknown scheme ${scheme}:// (ws, wss, tcp, tls or kcp)`);
}

/** How a node's address reads as a URL: WebSocket addresses are URLs already, the others are `kind://host:port`. */
export function nodeUrl(kind: TransportKind, address: string): string {
  return kind === 'ws' || kind === 'wss' ? address : `${kind}://${address}`;
}

/** `host:port` or `[v6]:port`. */
export function parseHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s\/]+)):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new RangeError(`${JSON.stringify(address)} is not host:port`);
  return { host: m[1] ?? m[2], port };
}

export function addressOf(node: NodeInfo, kind: TransportKind): string | undefined {
  return node[kind] || undefined;
}

/**
 * Reads logic's node list: goim's `{code, data: {nodes: [...]}}` from /goim/nodes/weighted, or a
 * bare array as /v1/nodes answers. Entries without an id or address are dropped, not trusted.
 */
export function nodesFromLogicReply(json: unknown): NodeInfo[] {
  const root = json as { data?: { nodes?: unknown }; nodes?: unknown } | null;
  const list = Array.isArray(json) ? json : Array.isArray(root?.data?.nodes) ? root.data.nodes : Array.isArray(root?.nodes) ? root.nodes : undefined;
  if (!list) throw new TypeError('the node list is not {data:{nodes:[…]}} nor an array');
  const out: NodeInfo[] = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    // TLS over TCP is host:port like tcp; a `tls://` form is taken too.
    const node: NodeInfo = { id: str(o.id) ?? '', ws: str(o.ws), wss: str(o.wss), tcp: str(o.tcp), tls: str(o.tls)?.replace(/^tls:\/\//i, ''), kcp: str(o.kcp) };
    node.id ||= KINDS.map((k) => node[k]).find((a) => a !== undefined) ?? '';
    if (node.id) out.push(node);
  }
  return out;
}

/**
 * The nodes to try, best first (logic orders them by weight, then load), with memory of which
 * address just failed or is draining: such an address is skipped for `skipMs`, unless every
 * candidate is, in which case the one that failed longest ago goes first. Pure: the caller
 * passes the time.
 */
export class NodeList {
  private nodes: NodeInfo[] = [];
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly skipMs: number) {}

  get all(): readonly NodeInfo[] {
    return this.nodes;
  }

  /** Replaces the candidates; failure marks survive (they are by address). */
  set(nodes: readonly NodeInfo[]): void {
    this.nodes = dedupe(nodes);
  }

  /** Puts these first (a draining comet's suggestions), the others after in their order. */
  preferFirst(nodes: readonly NodeInfo[]): void {
    this.nodes = dedupe([...nodes, ...this.nodes]);
  }

  markFailed(address: string, now: number): void {
    this.failedAt.set(address, now);
  }

  markOk(address: string): void {
    this.failedAt.delete(address);
  }

  /** True while the address is being skipped. */
  skipped(address: string, now: number): boolean {
    const at = this.failedAt.get(address);
    return at !== undefined && now - at < this.skipMs;
  }

  /** Every node offering `kind`, in order, those being skipped last (line probing races the first few). */
  candidates(kind: TransportKind, now: number): Candidate[] {
    const out: Candidate[] = [];
    for (const node of this.nodes) {
      const address = addressOf(node, kind);
      if (address) out.push({ node, address });
    }
    return [...out.filter((c) => !this.skipped(c.address, now)), ...out.filter((c) => this.skipped(c.address, now))];
  }

  pick(kind: TransportKind, now: number): Candidate | undefined {
    let fallback: (Candidate & { at: number }) | undefined;
    for (const node of this.nodes) {
      const address = addressOf(node, kind);
      if (!address) continue;
      if (!this.skipped(address, now)) return { node, address };
      const at = this.failedAt.get(address)!;
      if (!fallback || at < fallback.at) fallback = { node, address, at };
    }
    return fallback && { node: fallback.node, address: fallback.address };
  }
}

/** Drops a node that repeats an earlier one's id or any of its addresses. */
function dedupe(nodes: readonly NodeInfo[]): NodeInfo[] {
  const seen = new Set<string>();
  const out: NodeInfo[] = [];
  for (const node of nodes) {
    const keys = [`id:${node.id}`, ...KINDS.map((k) => node[k] && `${k}:${node[k]}`).filter((k): k is string => !!k)];
    if (keys.some((k) => seen.has(k))) continue;
    keys.forEach((k) => seen.add(k));
    out.push(node);
  }
  return out;
}
