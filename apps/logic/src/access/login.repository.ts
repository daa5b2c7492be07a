/** One live connection as multi-login and revocation need it. */
export interface Login {
  server: string;
  platform: string;
  jti?: string;
  /** The token's iat (Unix seconds; 0 for none or dev auth). */
  iat: number;
  /** When it connected (ms since the epoch): the oldest goes first past the per-user cap. */
  at: number;
}

/**
 * Per-user records of live connections beside the session routes (same expiry, refreshed with
 * them), and a jti → user index so a revoked token id finds its connections.
 */
export interface LoginRepository {
  add(mid: number, key: string, login: Login, ttlSec: number, jtiTtlSec: number): Promise<void>;
  remove(mid: number, key: string): Promise<void>;
  list(mid: number): Promise<Map<string, Login>>;
  /** Extends the records of these users (sessions were refreshed). */
  touch(mids: readonly number[], ttlSec: number): Promise<void>;
  midOfJti(jti: string): Promise<number | null>;
}

export function encodeLogin(l: Login): string {
  return JSON.stringify({ s: l.server, p: l.platform, j: l.jti, i: l.iat, t: l.at });
}

/** Null for anything malformed: the store is not trusted blindly. */
export function decodeLogin(raw: string): Login | null {
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    if (typeof o.s !== 'string' || typeof o.p !== 'string' || typeof o.i !== 'number' || typeof o.t !== 'number') return null;
    return { server: o.s, platform: o.p, jti: typeof o.j === 'string' ? o.j : undefined, iat: o.i, at: o.t };
  } catch {
    return null;
  }
}
