import type { comet, PushMsg__Output } from '@imgate/contracts';

export interface PlanLimits {
  roomBatchMessages: number;
  roomBatchBytes: number;
}

/**
 * What a batch item carries beside its body: bit 0, a message id; bit 1, a stream position. Only
 * items of one kind merge, so `message_ids` and `positions` stay parallel to `bodies` (all or none).
 */
function kindOf(msg: PushMsg__Output): number {
  return (msg.id ? 1 : 0) | (msg.positions.length > 0 ? 2 : 0);
}

/**
 * Turns queue records (in order) into one ordered delivery list per comet. Consecutive room
 * messages with the same room and operation are merged into one batch (up to the limits), and
 * likewise broadcasts; nothing is reordered, so per-room and per-connection order hold. Message
 * ids and stream positions (assigned by logic, so a replayed record keeps them) travel along.
 */
export class DeliveryPlan {
  readonly byComet = new Map<string, comet.Delivery[]>();
  private readonly roomBytes = new Map<comet.BroadcastRoomReq, number>();
  private readonly kinds = new Map<object, number>();

  constructor(private readonly limits: PlanLimits) {}

  private list(server: string): comet.Delivery[] {
    let l = this.byComet.get(server);
    if (!l) this.byComet.set(server, (l = []));
    return l;
  }

  push(msg: PushMsg__Output): void {
    this.list(msg.server).push({
      push: { keys: msg.keys, operation: msg.operation, body: msg.msg, acceptedAtMs: msg.acceptedAtMs, messageId: msg.id, positions: msg.positions },
    });
  }

  room(msg: PushMsg__Output, servers: Iterable<string>): void {
    const kind = kindOf(msg);
    for (const server of servers) {
      const list = this.list(server);
      const last = list.at(-1)?.room;
      const bytes = last ? (this.roomBytes.get(last) ?? 0) : 0;
      if (
        last &&
        last.room === msg.room &&
        last.operation === msg.operation &&
        this.kinds.get(last) === kind &&
        last.bodies!.length < this.limits.roomBatchMessages &&
        bytes + msg.msg.length <= this.limits.roomBatchBytes
      ) {
        last.bodies!.push(msg.msg);
        if (kind & 1) last.messageIds!.push(msg.id);
        // A room record holds its one place in the room's stream.
        if (kind & 2) last.positions!.push(msg.positions[0]);
        this.roomBytes.set(last, bytes + msg.msg.length);
        continue;
      }
      const item: comet.BroadcastRoomReq = {
        room: msg.room,
        operation: msg.operation,
        bodies: [msg.msg],
        acceptedAtMs: msg.acceptedAtMs,
        messageIds: kind & 1 ? [msg.id] : [],
        positions: kind & 2 ? [msg.positions[0]] : [],
      };
      this.roomBytes.set(item, msg.msg.length);
      this.kinds.set(item, kind);
      list.push({ room: item });
    }
  }

  /** The cluster-wide speed is shared out evenly over the comets. */
  all(msg: PushMsg__Output, servers: string[]): void {
    const speed = msg.speed > 0 ? Math.max(1, Math.ceil(msg.speed / servers.length)) : 0;
    const withId = msg.id !== '';
    for (const server of servers) {
      const list = this.list(server);
      const last = list.at(-1)?.all;
      if (
        last &&
        last.operation === msg.operation &&
        last.speed === speed &&
        (last.messageIds!.length > 0) === withId &&
        last.bodies!.length < this.limits.roomBatchMessages
      ) {
        last.bodies!.push(msg.msg);
        if (withId) last.messageIds!.push(msg.id);
        continue;
      }
      list.push({ all: { operation: msg.operation, speed, bodies: [msg.msg], acceptedAtMs: msg.acceptedAtMs, messageIds: withId ? [msg.id] : [] } });
    }
  }
}
