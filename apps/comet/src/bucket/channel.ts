import { Op } from '@imgate/protocol';

/** The part of a connection that pushes need: who it is, what it accepts, how to write to it. */
export interface Channel {
  readonly key: string;
  readonly mid: number;
  roomId: string;
  readonly accepts: Set<number>;
  /** Whether this client speaks the 20-byte checksummed header. */
  readonly checksum: boolean;
  /** Writes an already encoded packet; returns false when the connection was cut (slow consumer). */
  writeEncoded(packet: Uint8Array, packets: number): boolean;
  /** Closes the connection, telling the client why with the given operation (op 6 disconnect or op 21 kick). */
  close(reason: string, op?: Op, code?: string): void;
}

/** goim's rule: a channel receives a business operation only if it accepts (watches) it. */
export function needPush(ch: Channel, op: number): boolean {
  return ch.accepts.has(op);
}
