import { encode, Op, type Packet, StreamDecoder } from '@imgate/protocol';

const utf8 = new TextEncoder();

/**
 * Just enough of a comet, over any byte stream, to drive the SDK in transport tests: answers
 * auth, heartbeats (count 1), upstream messages and room changes, and can push.
 */
export class MiniComet {
  readonly received: Packet[] = [];
  private readonly decoder = new StreamDecoder();
  private checksum = false;

  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  /** Stream transports (TCP, KCP): any slice of the stream. */
  onBytes(bytes: Uint8Array): void {
    for (const p of this.decoder.push(bytes)) this.handle(p);
  }

  handle(p: Packet): void {
    this.received.push(p);
    switch (p.op) {
      case Op.Auth: {
        this.checksum = p.checksum;
        const auth = JSON.parse(new TextDecoder().decode(p.body)) as Record<string, unknown>;
        return this.send(Op.AuthReply, p.seq, utf8.encode(JSON.stringify({ mid: auth.mid ?? 0, key: 'mini-key', room_id: auth.room_id ?? '', heartbeat: 300, heartbeat_min: 60, heartbeat_step: 30 })));
      }
      case Op.Heartbeat:
        return this.send(Op.HeartbeatReply, p.seq, Uint8Array.of(0, 0, 0, 1));
      case Op.ChangeRoom:
        return this.send(Op.ChangeRoomReply, p.seq, p.body.slice());
      default:
        if (p.op === Op.SendMsg || p.op >= 1000) return this.send(Op.SendMsgReply, p.seq, new Uint8Array(0));
    }
  }

  push(op: number, body: string): void {
    this.send(op, 0, utf8.encode(body));
  }

  private send(op: number, seq: number, body: Uint8Array): void {
    this.write(encode({ op, seq, body, checksum: this.checksum }));
  }
}
