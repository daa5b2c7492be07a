/** 2026-01-01T00:00:00Z: ids count milliseconds from here (docs/delivery.md). */
export const SNOWFLAKE_EPOCH_MS = 1_767_225_600_000;
export const MAX_NODE_ID = 1023;
export const MAX_SEQUENCE = 4095;
const MAX_MS = 2 ** 41 - 1;

/** Wall-clock milliseconds (the shape of @imgate/common's Clock). */
export interface SnowflakeClock {
  now(): number;
}

/** Resolves after about `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

export interface SnowflakeParts {
  /** Unix milliseconds. */
  time: number;
  node: number;
  sequence: number;
}

/**
 * 64-bit time-ordered message ids: 41 bits of milliseconds since SNOWFLAKE_EPOCH_MS, 10 bits of
 * node id, 12 bits of sequence. Past 4,096 ids in one millisecond next() waits for the next
 * millisecond (by the injected sleep, never a spin); a clock that steps back keeps using the
 * last millisecond, so ids of one node id never repeat and never go down.
 */
export class Snowflake {
  private nodeId: number;
  private lastMs = -1;
  /** The next sequence to hand out in lastMs. */
  private seq = 0;

  constructor(
    node: number,
    private readonly clock: SnowflakeClock,
    private readonly sleep: Sleep,
  ) {
    this.nodeId = checkNode(node);
  }

  /** The node id in the ids made from now on. */
  get node(): number {
    return this.nodeId;
  }

  /** Changes the node id (a lease moved); ids of different node ids never collide. */
  set node(node: number) {
    this.nodeId = checkNode(node);
  }

  /** An id now, or undefined when this millisecond's 4,096 are used up. */
  tryNext(): bigint | undefined {
    const now = Math.floor(this.clock.now()) - SNOWFLAKE_EPOCH_MS;
    if (now < 0) throw new RangeError(`the clock reads ${new Date(now + SNOWFLAKE_EPOCH_MS).toISOString()}, before the id epoch 2026-01-01`);
    if (now > this.lastMs) {
      if (now > MAX_MS) throw new RangeError('the clock is past the last millisecond 41 bits can hold (2095)');
      this.lastMs = now;
      this.seq = 0;
    } else if (this.seq > MAX_SEQUENCE) {
      return undefined;
    }
    return (BigInt(this.lastMs) << 22n) | (BigInt(this.nodeId) << 12n) | BigInt(this.seq++);
  }

  /** The next id; waits for the clock to pass the current millisecond when its sequence is used up. */
  async next(): Promise<bigint> {
    for (;;) {
      const id = this.tryNext();
      if (id !== undefined) return id;
      // After a step back the clock may be well behind lastMs: one sleep for the whole way.
      await this.sleep(Math.max(1, this.lastMs + 1 - (Math.floor(this.clock.now()) - SNOWFLAKE_EPOCH_MS)));
    }
  }
}

/** The fields of an id. */
export function parseSnowflake(id: bigint): SnowflakeParts {
  if (id < 0n || id >= 1n << 64n) throw new RangeError(`${id} is not a u64`);
  return {
    time: Number(id >> 22n) + SNOWFLAKE_EPOCH_MS,
    node: Number((id >> 12n) & 0x3ffn),
    sequence: Number(id & 0xfffn),
  };
}

function checkNode(node: number): number {
  if (!Number.isInteger(node) || node < 0 || node > MAX_NODE_ID) throw new RangeError(`node id ${node} is not 0-${MAX_NODE_ID}`);
  return node;
}
