import type { logic } from '@imgate/contracts';
import { roomGranted } from '@imgate/protocol';

const shared = new Map<string, Grants>();
/** Distinct grant shapes kept for sharing; past it, connections get their own (correct, just bigger). */
const MAX_SHARED = 10_000;

/**
 * What logic's Connect said this connection may do (docs/security.md), checked here on every op
 * 12/23, 14 and upstream message without a call to logic. Only connections with limits have one.
 */
export class Grants {
  private readonly rooms: readonly string[] | undefined;
  private readonly send: ReadonlySet<number> | undefined;
  private readonly sub: ReadonlySet<number> | undefined;
  /** Ask logic (its join hook) before each join the grants allow. */
  readonly joinHook: boolean;

  private constructor(
    p: logic.Permissions__Output,
    /** The auth body's platform, which the join hook is told. */
    readonly platform: string,
  ) {
    this.rooms = p.roomsLimited ? p.rooms : undefined;
    this.send = p.sendLimited ? new Set(p.sendOps) : undefined;
    this.sub = p.subLimited ? new Set(p.subOps) : undefined;
    this.joinHook = p.joinHook;
  }

  /**
   * Undefined when nothing is limited (goim's behaviour): such connections carry no grants. Equal
   * grants are shared (they never change), so a million connections with one token shape hold one.
   */
  static of(p: logic.Permissions__Output | null | undefined, platform: string): Grants | undefined {
    if (!p || !(p.roomsLimited || p.sendLimited || p.subLimited || p.joinHook)) return undefined;
    const id = JSON.stringify([p.roomsLimited, p.rooms, p.sendLimited, p.sendOps, p.subLimited, p.subOps, p.joinHook, p.joinHook ? platform : '']);
    let g = shared.get(id);
    if (!g) {
      g = new Grants(p, platform);
      if (shared.size < MAX_SHARED) shared.set(id, g);
    }
    return g;
  }

  room(room: string): boolean {
    return this.rooms === undefined || roomGranted(this.rooms, room);
  }

  /** An upstream operation (4, ≥ 1000; op 30 as its operation). */
  sends(op: number): boolean {
    return this.send === undefined || this.send.has(op);
  }

  /** The first of `ops` it may not receive, if any. */
  refusedSub(ops: readonly number[]): number | undefined {
    return this.sub === undefined ? undefined : ops.find((op) => !this.sub!.has(op));
  }
}
