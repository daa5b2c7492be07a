/** What a comet tells the cluster about itself; clients and job find comets through this. */
export interface CometNode {
  id: string;
  /** gRPC address job and logic dial, host:port. */
  grpc: string;
  /** Client-facing addresses, empty when that transport is off. */
  ws: string;
  tcp: string;
  kcp: string;
  /** Client TLS (empty when off): `wss://host:port/sub`, and TLS over TCP as host:port. */
  wss: string;
  tls: string;
  weight: number;
  /** Where the comet runs (operator-defined, e.g. "eu-west"); clients may ask for their own first. */
  region: string;
  connections: number;
  draining: boolean;
  /** Set by the registry when the node registers (ms since epoch). */
  updatedAt: number;
}

export type CometAnnouncement = Omit<CometNode, 'updatedAt'>;

export interface CometRegistry {
  /**
   * Adds or refreshes a node; it stays listed for the registry's TTL after the last call. True when
   * the entry was new: the first registration, or the store lost it (restarted empty, flushed).
   */
  register(node: CometAnnouncement): Promise<boolean>;
  deregister(id: string): Promise<void>;
  /** Live nodes only (refreshed within the TTL). */
  list(): Promise<CometNode[]>;
}

export const COMET_REGISTRY = Symbol('COMET_REGISTRY');

/** Parses a stored node, returning null for anything malformed rather than trusting the store. */
export function parseCometNode(json: string): CometNode | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  // Fields newer than some comets still running (a rolling upgrade): absent means off.
  for (const k of ['region', 'wss', 'tls'] as const) if (o[k] === undefined) o[k] = '';
  const strings = ['id', 'grpc', 'ws', 'tcp', 'kcp', 'wss', 'tls', 'region'] as const;
  const numbers = ['weight', 'connections', 'updatedAt'] as const;
  if (!strings.every((k) => typeof o[k] === 'string')) return null;
  if (!numbers.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]))) return null;
  if (typeof o.draining !== 'boolean') return null;
  return o as unknown as CometNode;
}
