/** A set of accepted operations, shared by every connection with the same list. */
class OpSet extends Set<number> {
  refs = 0;
  constructor(
    readonly id: string,
    ops: readonly number[],
  ) {
    super(ops);
  }
}

const EMPTY: ReadonlySet<number> = new Set<number>();

/**
 * The operation filters connections hold, one set per distinct list: most clients of an app
 * accept the same few operations, so 100,000 connections share a handful of sets instead of
 * holding 100,000. Reference-counted, so the table holds only lists some connection uses now
 * (a client cannot grow it by trying lists). Sets handed out must not be modified.
 */
export class AcceptSets {
  private readonly table = new Map<string, OpSet>();

  get size(): number {
    return this.table.size;
  }

  static get empty(): ReadonlySet<number> {
    return EMPTY;
  }

  /** The shared set holding exactly `ops`; pair with `release` when the holder lets go. */
  acquire(ops: Iterable<number>): ReadonlySet<number> {
    const sorted = [...new Set(ops)].sort((a, b) => a - b);
    if (sorted.length === 0) return EMPTY;
    const id = sorted.join(',');
    let set = this.table.get(id);
    if (!set) this.table.set(id, (set = new OpSet(id, sorted)));
    set.refs++;
    return set;
  }

  release(set: ReadonlySet<number>): void {
    if (!(set instanceof OpSet) || this.table.get(set.id) !== set) return;
    if (--set.refs <= 0) this.table.delete(set.id);
  }
}
