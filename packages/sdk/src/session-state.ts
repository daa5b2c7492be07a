import { BUSINESS_OP_MIN } from '@imgate/protocol';

/** What was asked for at auth, to tell what still needs sending once the server answers. */
export interface AuthSnapshot {
  room: string;
  accepts: ReadonlySet<number>;
}

/** The requests that bring a fresh connection to the state the application asked for. */
export interface RestorePlan {
  changeRoom?: string;
  join: string[];
  subscribe: number[];
  unsubscribe: number[];
}

/**
 * What the application asked for (main room, extra rooms, accepted operations), kept across
 * reconnects: each new connection authenticates with it and then restores the rest.
 */
export class SessionState {
  room: string;
  readonly extraRooms = new Set<string>();
  readonly accepts: Set<number>;

  constructor(room: string, accepts: readonly number[]) {
    this.room = room;
    this.accepts = new Set(checkOps(accepts));
  }

  snapshot(): AuthSnapshot {
    return { room: this.room, accepts: new Set(this.accepts) };
  }

  /** What to send after an auth that carried `sent`: what changed meanwhile, and the extra rooms. */
  restorePlan(sent: AuthSnapshot): RestorePlan {
    return {
      changeRoom: this.room !== sent.room ? this.room : undefined,
      join: [...this.extraRooms],
      subscribe: [...this.accepts].filter((op) => !sent.accepts.has(op)),
      unsubscribe: [...sent.accepts].filter((op) => !this.accepts.has(op)),
    };
  }
}

/** Business operations only: 1000 … 2³¹−1. */
export function checkOps(ops: readonly number[]): number[] {
  for (const op of ops) {
    if (!Number.isInteger(op) || op < BUSINESS_OP_MIN || op > 0x7fffffff) throw new RangeError(`operation ${op} is not a business operation (${BUSINESS_OP_MIN}..2147483647)`);
  }
  return [...ops];
}

/** goim's form for op 14/16 bodies: `1000,1001`. */
export function formatOps(ops: readonly number[]): string {
  return ops.join(',');
}

export function parseOps(text: string): number[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}
