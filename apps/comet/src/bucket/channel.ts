import type { Op } from '@imgate/protocol';
import type { Outbound } from '../push/outbound';

/** The part of a connection that pushes need: who it is, its rooms, what it accepts, how to write to it. */
export interface Channel {
  readonly key: string;
  readonly mid: number;
  /** The main room (auth's room_id, moved by op 12); empty for none. */
  readonly roomId: string;
  /** Every room the channel is in: the main one and any joined with op 23 (a new array each call). */
  roomList(): string[];
  /** The business operations it receives (often one set shared by many channels). */
  readonly accepts: ReadonlySet<number>;
  /** Whether this client speaks the 20-byte checksummed header. */
  readonly checksum: boolean;
  readonly remoteAddress: string;
  readonly transport: 'tcp' | 'ws' | 'kcp';
  /** It opted in to reliable delivery (docs/delivery.md): pushes with an id reach it as op 27. */
  readonly delivery?: boolean;
  /** Writes a prepared message; false when the connection is gone or was just cut as a slow consumer. */
  deliver(out: Outbound): boolean;
  /** Closes the connection, telling the client why with the given operation (op 6 disconnect, 21 kick, 20 reconnect). */
  close(reason: string, op?: Op, code?: string, extra?: Record<string, unknown>): void;
}

/** goim's rule: a channel receives a business operation only if it accepts (watches) it. */
export function needPush(ch: Channel, op: number): boolean {
  return ch.accepts.has(op);
}
