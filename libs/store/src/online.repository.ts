/** What one comet reported about its connections. */
export interface OnlineSnapshot {
  rooms: Map<string, number>;
  conns: number;
  ips: number;
}

/**
 * Per-comet online counts (goim's RenewOnline data), and room membership: which comets hold
 * members of a room. Logic writes it; logic and job read it.
 */
export interface OnlineRepository {
  /** Replaces a comet's snapshot; it expires after ttlMs without a renewal. */
  renew(server: string, snapshot: OnlineSnapshot, ttlMs: number): Promise<void>;
  /** Records at once that a comet has members of these rooms, and tells subscribers. */
  addRooms(server: string, rooms: string[], ttlMs: number): Promise<void>;
  /** Drops a comet's snapshot (it left the registry). */
  remove(server: string): Promise<void>;
  /** Snapshots of the given comets (those with none are left out). */
  read(servers: string[]): Promise<Map<string, OnlineSnapshot>>;
  /** Calls back on every addRooms anywhere in the cluster. */
  onRoomsAdded(listener: (server: string, rooms: string[]) => void): Promise<void>;
  close(): Promise<void>;
}

export const ONLINE_REPOSITORY = Symbol('ONLINE_REPOSITORY');

/** Cluster-wide room totals from per-comet snapshots. */
export function roomTotals(snapshots: Iterable<OnlineSnapshot>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const s of snapshots) for (const [room, n] of s.rooms) totals.set(room, (totals.get(room) ?? 0) + n);
  return totals;
}
