import { userStream } from './stream-keys';
import type { StreamHead } from './stream.repository';

/** A device holds every message of its user's stream up to `offset` (op 18, cumulative). */
export interface AckEntry {
  mid: number;
  device: string;
  /** Always `u:<mid>`: only the user stream's acks are kept. */
  stream: string;
  offset: bigint;
}

export interface DeviceDelivery {
  device: string;
  acked: bigint;
  head: bigint;
  /** head − acked, never negative. */
  undelivered: bigint;
  lastAckMs: number;
}

export interface AckSettings {
  /** Devices kept per user; past it the one that acked longest ago is dropped. */
  maxDevices: number;
  /** Acks expire with the user stream's meta: 2× the user age bound. */
  ttlSec: number;
}

export const DEFAULT_ACK_SETTINGS: Readonly<AckSettings> = { maxDevices: 32, ttlSec: 2 * 604_800 };

/**
 * Per user and device, the highest acked offset of the user's stream (never goes back) and the
 * time of the last ack. An ack carries no epoch, so it counts in the stream's epoch at the moment
 * it is recorded, and is clamped to that epoch's head (an offset the stream never reached, e.g. a
 * late ack from before the history was lost, cannot hide later messages). An ack kept from an
 * older epoch counts as 0 in the current one: after a loss every device starts again from nothing.
 */
export interface AckRepository {
  ack(entries: ReadonlyArray<AckEntry>): Promise<void>;
  /** The user's devices, the most recent ack first. */
  delivery(mid: number): Promise<DeviceDelivery[]>;
}

/** Rejects entries that are not a user's own stream or hold a negative offset; groups them by user. */
export function acksByUser(entries: ReadonlyArray<AckEntry>): Map<number, AckEntry[]> {
  const out = new Map<number, AckEntry[]>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.mid) || e.mid <= 0 || e.stream !== userStream(e.mid)) {
      throw new RangeError(`ack for ${JSON.stringify(e.stream)} is not mid ${e.mid}'s stream`);
    }
    if (e.offset < 0n) throw new RangeError(`negative ack offset ${e.offset}`);
    const list = out.get(e.mid);
    if (list) list.push(e);
    else out.set(e.mid, [e]);
  }
  return out;
}

/** One device's numbers: an ack from another epoch than the stream's current one counts as 0. */
export function deviceDelivery(device: string, ackEpoch: number, ackOffset: bigint, lastAckMs: number, current: StreamHead): DeviceDelivery {
  const acked = ackEpoch === current.epoch ? ackOffset : 0n;
  return { device, acked, head: current.head, undelivered: current.head > acked ? current.head - acked : 0n, lastAckMs };
}

export function byRecentAck(a: DeviceDelivery, b: DeviceDelivery): number {
  return b.lastAckMs - a.lastAckMs || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0);
}
