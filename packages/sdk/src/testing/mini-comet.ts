import { decodeSendWithId, encode, encodeStreamMessage, encodeSyncReply, Op, type Packet, parseAck, parseSync, StreamDecoder, type StreamMessage, type SyncReplyStream } from '@imgate/protocol';
import type { MiniStreams } from './mini-streams.js';

const utf8 = new TextEncoder();

/**
 * Just enough of a comet, over any byte stream, to drive the SDK in transport tests: answers
 * auth, heartbeats (count 1), upstream messages and room changes, and can push. Given
 * MiniStreams, it speaks reliable delivery to a client that opts in: the auth reply's heads,
 * op 28 answered with op 27 messages and op 29, op 18 recorded (op 19 for a non-zero seq), op 30
 * written once by id and answered by op 5.
 */
export class MiniComet {
  readonly received: Packet[] = [];
  /** While true, op-30 sends are recorded but not answered (the reply is lost). */
  holdSendReplies = false;
  /** While true, op-28 syncs are kept unanswered until answerSyncs(). */
  holdSyncs = false;
  private readonly heldSyncs: Packet[] = [];
  private readonly decoder = new StreamDecoder();
  private checksum = false;

  constructor(
    private readonly write: (bytes: Uint8Array) => void,
    private readonly streams?: MiniStreams,
  ) {}

  /** Stream transports (TCP, KCP): any slice of the stream. */
  onBytes(bytes: Uint8Array): void {
    for (const p of this.decoder.push(bytes)) this.handle(p);
  }

  handle(p: Packet): void {
    this.received.push(p);
    switch (p.op) {
      case Op.Auth:
        return this.auth(p);
      case Op.Heartbeat:
        return this.send(Op.HeartbeatReply, p.seq, Uint8Array.of(0, 0, 0, 1));
      case Op.ChangeRoom:
        return this.send(Op.ChangeRoomReply, p.seq, p.body.slice());
      case Op.Sync:
        return this.sync(p);
      case Op.Ack:
        this.streams?.acks.push(parseAck(p.body));
        if (p.seq !== 0) this.send(Op.AckReply, p.seq, new Uint8Array(0));
        return;
      case Op.SendWithId:
        this.streams?.write(decodeSendWithId(p.body));
        if (!this.holdSendReplies) this.send(Op.SendMsgReply, p.seq, new Uint8Array(0));
        return;
      default:
        if (p.op === Op.SendMsg || p.op >= 1000) return this.send(Op.SendMsgReply, p.seq, new Uint8Array(0));
    }
  }

  push(op: number, body: string): void {
    this.send(op, 0, utf8.encode(body));
  }

  /** Answers the syncs held so far, with the history as it is now. */
  answerSyncs(): void {
    for (const p of this.heldSyncs.splice(0)) this.answerSync(p);
  }

  /** Pushes one op-27 message live, as job would. */
  pushMessage(m: StreamMessage): void {
    this.send(Op.Message, 0, encodeStreamMessage(m));
  }

  private auth(p: Packet): void {
    this.checksum = p.checksum;
    const auth = JSON.parse(new TextDecoder().decode(p.body)) as Record<string, unknown>;
    const reply: Record<string, unknown> = { mid: auth.mid ?? 0, key: 'mini-key', room_id: auth.room_id ?? '', heartbeat: 300, heartbeat_min: 60, heartbeat_step: 30 };
    if (auth.delivery === true && this.streams) {
      const heads: Record<string, { epoch: number; head: string }> = {};
      const names = [typeof auth.mid === 'number' && auth.mid > 0 ? `u:${auth.mid}` : '', typeof auth.room_id === 'string' && auth.room_id ? `r:${auth.room_id}` : ''];
      for (const name of names.filter(Boolean)) {
        const h = this.streams.head(name);
        heads[name] = { epoch: h.epoch, head: h.head.toString() };
      }
      reply.delivery = { device: typeof auth.device === 'string' ? auth.device : 'web', streams: heads };
    }
    this.send(Op.AuthReply, p.seq, utf8.encode(JSON.stringify(reply)));
  }

  /** Op 28: the messages after each position in stream order, then op 29 with the same seq. */
  private sync(p: Packet): void {
    if (this.holdSyncs) this.heldSyncs.push({ ...p, body: p.body.slice() });
    else this.answerSync(p);
  }

  private answerSync(p: Packet): void {
    const streams = this.streams;
    if (!streams) return;
    const req = parseSync(p.body);
    let budget = req.limit;
    const statuses: SyncReplyStream[] = [];
    for (const pos of req.streams) {
      const { epoch, head } = streams.head(pos.stream);
      // `last: N` reads like a sync from N before the head (logic answers it within history the same way).
      const from = 'last' in pos ? { epoch, offset: head - BigInt(Math.min(pos.last, Number(head))) } : pos;
      const r = streams.since(pos.stream, from.epoch, from.offset, budget);
      for (const m of r.messages) this.pushMessage(m);
      budget -= r.messages.length;
      statuses.push(r.status === 'more' ? { stream: pos.stream, status: 'more', epoch, head, next: r.next } : { stream: pos.stream, status: r.status, epoch, head });
    }
    this.send(Op.SyncReply, p.seq, encodeSyncReply({ streams: statuses }));
  }

  private send(op: number, seq: number, body: Uint8Array): void {
    this.write(encode({ op, seq, body, checksum: this.checksum }));
  }
}
