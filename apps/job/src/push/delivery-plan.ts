import type { comet, PushMsg__Output } from '@imgate/contracts';

export interface PlanLimits {
  roomBatchMessages: number;
  roomBatchBytes: number;
}

/**
 * Turns queue records (in order) into one ordered delivery list per comet. Consecutive room
 * messages with the same room and operation are merged into one batch (up to the limits), and
 * likewise broadcasts; nothing is reordered, so per-room and per-connection order hold.
 */
export class DeliveryPlan {
  readonly byComet = new Map<string, comet.Delivery[]>();
  private readonly roomBytes = new Map<comet.BroadcastRoomReq, number>();

  constructor(private readonly limits: PlanLimits) {}

  private list(server: string): comet.Delivery[] {
    let l = this.byComet.get(server);
    if (!l) this.byComet.set(server, (l = []));
    return l;
  }

  push(msg: PushMsg__Output): void {
    this.list(msg.server).push({ push: { keys: msg.keys, operation: msg.operation, body: msg.msg, acceptedAtMs: msg.acceptedAtMs } });
  }

  room(msg: PushMsg__Output, servers: Iterable<string>): void {
    for (const server of servers) {
      const list = this.list(server);
      const last = list.at(-1)?.room;
      const bytes = last ? (this.roomBytes.get(last) ?? 0) : 0;
      if (
        last &&
        last.room === msg.room &&
        last.operation === msg.operation &&
        last.bodies!.length < this.limits.roomBatchMessages &&
        bytes + msg.msg.length <= this.limits.roomBatchBytes
      ) {
        last.bodies!.push(msg.msg);
        this.roomBytes.set(last, bytes + msg.msg.length);
        continue;
      }
      const item: comet.BroadcastRoomReq = { room: msg.room, operation: msg.operation, bodies: [msg.msg], acceptedAtMs: msg.acceptedAtMs };
      this.roomBytes.set(item, msg.msg.length);
      list.push({ room: item });
    }
  }

  /** The cluster-wide speed is shared out evenly over the comets. */
  all(msg: PushMsg__Output, servers: string[]): void {
    const speed = msg.speed > 0 ? Math.max(1, Math.ceil(msg.speed / servers.length)) : 0;
    for (const server of servers) {
      const list = this.list(server);
      const last = list.at(-1)?.all;
      if (last && last.operation === msg.operation && last.speed === speed && last.bodies!.length < this.limits.roomBatchMessages) {
        last.bodies!.push(msg.msg);
        continue;
      }
      list.push({ all: { operation: msg.operation, speed, bodies: [msg.msg], acceptedAtMs: msg.acceptedAtMs } });
    }
  }
}
