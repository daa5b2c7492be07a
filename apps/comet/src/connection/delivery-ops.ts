import { isServiceError } from '@imgate/common';
import type { logic } from '@imgate/contracts';
import {
  decodeSendWithId,
  encodeStreamMessage,
  encodeSyncReply,
  Op,
  type Packet,
  parseAck,
  parseOffset,
  parseStream,
  parseSync,
  ProtocolError,
  type StreamMessage,
  type SyncReplyStream,
  type SyncRequest,
  userStream,
} from '@imgate/protocol';
import type { SyncReply } from '../logic/logic.client';
import { Outbound, type OutboundPacket } from '../push/outbound';
import type { Connection } from './connection';
import type { ConnectionContext } from './connection-context';

const EMPTY = new Uint8Array(0);

/** The op-8 `delivery` block: the device and the head of each of the client's streams. */
export function authDeliveryBlock(reply: Pick<logic.ConnectReply__Output, 'device' | 'heads'>): Record<string, unknown> {
  const streams: Record<string, { epoch: number; head: string }> = {};
  for (const h of reply.heads) streams[h.stream] = { epoch: h.epoch, head: String(h.head) };
  return { device: reply.device, streams };
}

/**
 * Ops 18 (ack), 28 (sync) and 30 (send with id) of a connection that opted in to reliable
 * delivery (docs/delivery.md). A malformed body is answered with op 22 and its protocol code;
 * the connection stays open.
 */
export class DeliveryOps {
  constructor(
    private readonly conn: Connection,
    private readonly ctx: ConnectionContext,
  ) {}

  static handles(op: number): boolean {
    return op === Op.Ack || op === Op.Sync || op === Op.SendWithId;
  }

  handle(p: Packet): void {
    try {
      if (p.op === Op.Ack) return this.ack(p);
      if (p.op === Op.SendWithId) return this.sendWithId(p);
      // Parsed here, so a malformed body is answered like the others (not a rejected promise).
      const req = parseSync(p.body);
      this.sync(p.seq, req).catch((err: unknown) => this.ctx.logger.error({ key: this.conn.key, err: (err as Error).message }, 'sync reply failed'));
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.conn.sendError(p.seq, err.code, err.message);
    }
  }

  /** Op 18: only the client's own user stream is recorded (room acks are accepted and ignored). */
  private ack(p: Packet): void {
    const { conn } = this;
    const own = userStream(conn.mid);
    const offset = parseAck(p.body).get(own);
    if (offset !== undefined) this.ctx.acks.add(conn.mid, conn.device, own, offset);
    if (p.seq !== 0) conn.send(Op.AckReply, p.seq, EMPTY);
  }

  /**
   * Op 28: streams not the client's (another user, a room it is not in) are denied here; logic is
   * asked for the rest. The messages and the op-29 reply go out in one write, so no push lands
   * between them.
   */
  private async sync(seq: number, req: SyncRequest): Promise<void> {
    const { conn, ctx } = this;
    const allowed = req.streams.filter((s) => this.mayRead(s.stream));
    let reply: SyncReply = { messages: [], results: [] };
    if (allowed.length) {
      try {
        reply = await ctx.logic.sync({
          mid: conn.mid,
          key: conn.key,
          limit: req.limit,
          streams: allowed.map((s) => ('last' in s ? { stream: s.stream, last: s.last } : { stream: s.stream, epoch: s.epoch, offset: s.offset.toString() })),
        });
      } catch (err) {
        return conn.sendError(seq, 'sync_failed', isServiceError(err) ? err.details : (err as Error).message);
      }
    }
    let packets: OutboundPacket[];
    try {
      const results = new Map(reply.results.map((r) => [r.stream, r]));
      const streams: SyncReplyStream[] = [];
      for (const s of req.streams) {
        if (!allowed.includes(s)) streams.push({ stream: s.stream, status: 'denied' });
        else {
          const r = results.get(s.stream);
          if (r) streams.push(statusOf(r));
        }
      }
      packets = reply.messages.map((m) => ({ op: Op.Message, seq: 0, body: encodeStreamMessage(messageOf(m)) }));
      packets.push({ op: Op.SyncReply, seq, body: encodeSyncReply({ streams }) });
    } catch (err) {
      // Logic answered something op 27/29 cannot carry.
      return conn.sendError(seq, 'sync_failed', (err as Error).message);
    }
    conn.deliver(Outbound.sequence(packets));
  }

  private mayRead(stream: string): boolean {
    const ref = parseStream(stream);
    if (!ref) return false;
    return ref.kind === 'user' ? ref.mid === this.conn.mid : this.conn.hasRoom(ref.room);
  }

  /** Op 30: like op 4 (same order and in-flight bound), with the client's id; op 5 answers. */
  private sendWithId(p: Packet): void {
    const m = decodeSendWithId(p.body);
    this.conn.upstream(p.seq, m.operation, m.payload, m.id);
  }
}

function statusOf(r: SyncReply['results'][number]): SyncReplyStream {
  const head = BigInt(r.head);
  switch (r.status) {
    case 'ok':
    case 'lost':
      return { stream: r.stream, status: r.status, epoch: r.epoch, head };
    case 'more':
      return { stream: r.stream, status: 'more', epoch: r.epoch, head, next: BigInt(r.next) };
    case 'denied':
      return { stream: r.stream, status: 'denied' };
    default:
      throw new RangeError(`logic answered status ${JSON.stringify(r.status)} for ${r.stream}`);
  }
}

function messageOf(m: SyncReply['messages'][number]): StreamMessage {
  const id = parseOffset(m.id);
  if (id === undefined) throw new RangeError(`logic answered message id ${JSON.stringify(m.id)} in ${m.stream}`);
  return { stream: m.stream, epoch: m.epoch, offset: BigInt(m.offset), id, operation: m.operation, payload: m.body };
}
