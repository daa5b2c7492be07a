import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger, RpcError } from '@imgate/common';
import { MAX_BODY_STREAMS, MAX_SYNC_LIMIT, parseStream } from '@imgate/protocol';
import { DEVICE } from '../auth/auth-body';
import { ACK_REPOSITORY, STREAM_REPOSITORY } from '../logic.tokens';
import type { AckEntry, AckRepository } from './ack.repository';
import { userStream } from './stream-keys';
import type { StreamPosition, StreamRead, StreamRepository } from './stream.repository';

// The proto shapes (offsets as numbers: they stay far below 2^53; ids as decimal strings).

export interface SyncStreamRequest {
  stream: string;
  epoch: number;
  /** The last offset the client holds; ignored when last > 0. */
  offset: number;
  /** The latest N messages instead (0 = none). */
  last: number;
}

export interface SyncRequest {
  /** The calling connection's user. */
  mid: number;
  streams: SyncStreamRequest[];
  /** 1-500; 0 = 500. */
  limit: number;
}

export interface SyncedMessage {
  stream: string;
  epoch: number;
  offset: number;
  id: string;
  operation: number;
  body: Buffer;
}

export type SyncStatus = 'ok' | 'more' | 'lost' | 'denied';

export interface SyncResult {
  stream: string;
  epoch: number;
  head: number;
  status: SyncStatus;
  /** With `more`: the first offset not in this reply (else 0). */
  next: number;
}

export interface SyncReply {
  messages: SyncedMessage[];
  results: SyncResult[];
}

export interface AckRequestEntry {
  mid: number;
  device: string;
  stream: string;
  offset: number;
}

export interface DeliveryReport {
  stream: string;
  epoch: number;
  head: number;
  devices: Array<{ device: string; acked: number; undelivered: number; lastAckMs: number }>;
}

/** Most ack entries one Ack call may carry. */
export const MAX_ACKS = 10_000;

/** Sync (op 28), acks (op 18, batched by the comets) and the delivery report (docs/delivery.md). */
@Injectable()
export class DeliveryService {
  constructor(
    @Inject(STREAM_REPOSITORY) private readonly streams: StreamRepository,
    @Inject(ACK_REPOSITORY) private readonly acks: AckRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Reads each stream in the order asked, sharing `limit` between them. A stream reached after the
   * limit is used up is still read (one message) to tell `ok` from `more` and `lost`. Another
   * user's stream is `denied`; room membership is the comet's to check.
   */
  async sync(req: SyncRequest): Promise<SyncReply> {
    const limit = this.syncLimit(req);
    const asked = req.streams.map((s, i) => this.position(s, i));
    const reply: SyncReply = { messages: [], results: [] };
    let remaining = limit;
    for (const { stream, position } of asked) {
      const ref = parseStream(stream);
      if (ref?.kind === 'user' && ref.mid !== req.mid) {
        reply.results.push({ stream, epoch: 0, head: 0, status: 'denied', next: 0 });
        continue;
      }
      const read = await this.read(stream, position, Math.max(remaining, 1));
      if (remaining === 0 && read.messages.length > 0) {
        reply.results.push({ stream, epoch: read.epoch, head: Number(read.head), status: 'more', next: Number(read.messages[0].offset) });
        continue;
      }
      remaining -= read.messages.length;
      for (const m of read.messages) {
        reply.messages.push({ stream, epoch: m.epoch, offset: Number(m.offset), id: m.id.toString(), operation: m.operation, body: Buffer.from(m.body) });
      }
      reply.results.push({ stream, epoch: read.epoch, head: Number(read.head), status: read.status, next: read.next === undefined ? 0 : Number(read.next) });
    }
    return reply;
  }

  /** Keeps only entries for the entry's own user stream with a valid device; answers how many were recorded. */
  async ack(entries: ReadonlyArray<AckRequestEntry>): Promise<{ recorded: number }> {
    if (entries.length > MAX_ACKS) throw RpcError.invalid(`at most ${MAX_ACKS} acks per Ack call (got ${entries.length})`);
    const kept: AckEntry[] = [];
    for (const e of entries) {
      if (!Number.isSafeInteger(e.mid) || e.mid <= 0 || e.stream !== userStream(e.mid) || !DEVICE.test(e.device)) continue;
      if (!Number.isSafeInteger(e.offset) || e.offset < 0) continue;
      kept.push({ mid: e.mid, device: e.device, stream: e.stream, offset: BigInt(e.offset) });
    }
    const skipped = entries.length - kept.length;
    if (skipped > 0) this.logger.debug({ skipped, recorded: kept.length }, 'acks for streams other than the user\'s own (or with a bad device) skipped');
    if (kept.length > 0) {
      try {
        await this.acks.ack(kept);
      } catch (err) {
        throw RpcError.unavailable(`ack store unavailable: ${(err as Error).message}`);
      }
    }
    return { recorded: kept.length };
  }

  /** Per device: the acked offset of the user's stream and how many messages it has not got. */
  async delivery(mid: number): Promise<DeliveryReport> {
    if (!Number.isSafeInteger(mid) || mid <= 0) throw RpcError.invalid(`mid ${mid} is not a positive integer`);
    const stream = userStream(mid);
    let heads, devices;
    try {
      [heads, devices] = await Promise.all([this.streams.heads([stream]), this.acks.delivery(mid)]);
    } catch (err) {
      throw RpcError.unavailable(`delivery store unavailable: ${(err as Error).message}`);
    }
    const { epoch, head } = heads.get(stream) ?? { epoch: 0, head: 0n };
    return {
      stream,
      epoch,
      head: Number(head),
      devices: devices.map((d) => ({ device: d.device, acked: Number(d.acked), undelivered: Number(d.undelivered), lastAckMs: d.lastAckMs })),
    };
  }

  private syncLimit(req: SyncRequest): number {
    if (req.streams.length > MAX_BODY_STREAMS) throw RpcError.invalid(`a sync names at most ${MAX_BODY_STREAMS} streams (got ${req.streams.length})`);
    if (!Number.isInteger(req.limit) || req.limit < 0 || req.limit > MAX_SYNC_LIMIT) throw RpcError.invalid(`limit ${req.limit} is not 1-${MAX_SYNC_LIMIT} (0 = ${MAX_SYNC_LIMIT})`);
    return req.limit === 0 ? MAX_SYNC_LIMIT : req.limit;
  }

  private position(s: SyncStreamRequest, i: number): { stream: string; position: StreamPosition } {
    if (!parseStream(s.stream)) throw RpcError.invalid(`streams[${i}]: ${JSON.stringify(s.stream.slice(0, 80))} is not a stream name (u:<mid> or r:<room>)`);
    if (!Number.isInteger(s.last) || s.last < 0 || s.last > MAX_SYNC_LIMIT) throw RpcError.invalid(`streams[${i}]: last ${s.last} is not 0-${MAX_SYNC_LIMIT}`);
    if (s.last > 0) return { stream: s.stream, position: { last: s.last } };
    if (!Number.isSafeInteger(s.offset) || s.offset < 0) throw RpcError.invalid(`streams[${i}]: offset ${s.offset} is not a u64`);
    return { stream: s.stream, position: { epoch: s.epoch, after: BigInt(s.offset) } };
  }

  private async read(stream: string, position: StreamPosition, limit: number): Promise<StreamRead> {
    try {
      return await this.streams.read(stream, position, limit);
    } catch (err) {
      throw RpcError.unavailable(`message history unavailable: ${(err as Error).message}`);
    }
  }
}
