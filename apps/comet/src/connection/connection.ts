import { decodeBatch, decodeMessage, Op, type Packet, ProtocolError, StreamDecoder } from '@imgate/protocol';
import type { Link, LinkHandler } from '../transport/link';
import { authFailure, authReplyBody } from './connection-auth';
import { ConnectionChannel } from './connection-channel';
import { type ConnectionContext, int32Body } from './connection-context';
import { AUTHENTICATING, CHECKSUM, CLOSED, DELIVERY, HANDSHAKE, OPEN, REGISTERED } from './connection-state';
import { ticksOf, TICK_MS } from './deadlines';
import { ConnectionRates, type RatedKind } from '../limits/connection-rates';
import { createsRoomPastLimit } from '../limits/room-limit';
import { DeliveryOps } from './delivery-ops';
import { Grants } from './grants';
import { resumeKeyOf } from './resume-gate';
import { deliverHeld, restoreRooms } from './resume-ops';
import { RoomOps } from './room-ops';
import { UpstreamOps } from './upstream-ops';
import { watchOps } from './watch-ops';

const MAX_EARLY_PACKETS = 16;
/** Business operations are 1000 up to the largest int32 (the upstream record's `operation`). */
const MAX_BUSINESS_OP = 0x7fffffff;

/**
 * One client session over any transport, as the client protocol drives it: handshake deadline,
 * auth through logic, heartbeats with a server-side deadline, room and operation changes,
 * upstream messages. What it is to pushes, and how it ends, is ConnectionChannel's.
 *
 * An idle connection is what a comet holds by the million, so this object keeps little: no timer
 * (the deadline sweep reads `lastSeen`), no decoder for WebSocket (whole packets per message), a
 * shared accepts set, the main room as a shared string and a set only for further rooms, and
 * whatever only some connections need in one object created on first use.
 */
export class Connection extends ConnectionChannel implements LinkHandler {
  /** Stream transports only (TCP, KCP): a WebSocket message holds whole packets. */
  private readonly decoder: StreamDecoder | undefined;
  /** Deadline clock ticks: when the client was last heard from, and when its session was last refreshed. */
  private lastSeen: number;
  private refreshedAt = 0;
  /** Silence allowed, in ticks: the handshake timeout, then the heartbeat deadline. */
  private timeoutTicks: number;

  constructor(
    link: Link,
    ctx: ConnectionContext,
    /** WebSocket messages must hold whole packets; TCP and KCP are a byte stream. */
    framed: boolean,
  ) {
    super(link, ctx);
    this.decoder = framed ? undefined : new StreamDecoder({ maxPacketLen: ctx.config.maxClientPacket });
    this.lastSeen = ctx.deadlines.now();
    this.timeoutTicks = ticksOf(ctx.config.handshakeTimeoutMs);
    ctx.deadlines.watch(this);
    ctx.metrics.accepted.inc({ transport: link.transport });
    ctx.metrics.connections.inc({ transport: link.transport });
  }

  private get roomOps(): RoomOps {
    return (this.onDemand.roomOps ??= new RoomOps(this, this.ctx));
  }

  private get deliveryOps(): DeliveryOps {
    return (this.onDemand.deliveryOps ??= new DeliveryOps(this, this.ctx));
  }

  /** Called by the deadline sweep: ends a silent connection; queues a due session refresh. */
  sweep(now: number): void {
    const state = this.state;
    if (state === CLOSED) return;
    if (now - this.lastSeen > this.timeoutTicks) {
      if (state === OPEN) this.fail('heartbeat_timeout', `no heartbeat within ${this.timeoutTicks * TICK_MS} ms`);
      else this.fail('handshake_timeout', `not authenticated within ${this.ctx.config.handshakeTimeoutMs} ms`);
      return;
    }
    // Heard from since the last refresh, and the refresh period is over: renew the session in logic.
    if (state === OPEN && this.lastSeen > this.refreshedAt && now - this.refreshedAt >= ticksOf(this.ctx.config.sessionRefreshMs)) {
      this.refreshedAt = now;
      this.ctx.renewals.add(this.mid, this.key);
    }
  }

  onData(bytes: Uint8Array): void {
    if (this.state === CLOSED) return;
    const { metrics, config } = this.ctx;
    metrics.bytesIn.inc({ transport: this.link.transport }, bytes.length);
    try {
      const packets = this.decoder ? this.decoder.push(bytes) : decodeMessage(bytes, { maxPacketLen: config.maxClientPacket });
      if (packets.length) metrics.packetsIn.inc({ transport: this.link.transport }, packets.length);
      for (const p of packets) {
        if (p.op === Op.Raw) for (const inner of decodeBatch(p.body, { maxPacketLen: config.maxClientPacket })) this.handle(inner);
        else this.handle(p);
        if (this.closed) return;
      }
    } catch (err) {
      if (err instanceof ProtocolError) this.fail(err.code, err.message);
      else throw err;
    }
  }

  onClose(): void {
    this.cleanup('client closed');
  }

  private handle(p: Packet): void {
    switch (this.state) {
      case HANDSHAKE:
        if (p.op !== Op.Auth && p.op !== Op.Heartbeat) return this.fail('op_before_auth', `operation ${p.op} before auth`);
        if (p.checksum) this.flags |= CHECKSUM;
        // A line probe (the SDK times comets before it picks one): answered, the handshake deadline still runs.
        if (p.op === Op.Heartbeat) return void this.send(Op.HeartbeatReply, p.seq, int32Body(0));
        if (!this.ctx.ipLimits.allowAuth(this.clientIp, this.nowMs())) {
          this.ctx.metrics.limited.inc({ limit: 'auth_per_ip' });
          return this.close('too many auth attempts from this address; retry later', Op.DisconnectReply, 'rate_limited');
        }
        this.setState(AUTHENTICATING);
        void this.authenticate(p);
        return;
      case AUTHENTICATING: {
        const early = (this.onDemand.early ??= []);
        if (early.length >= MAX_EARLY_PACKETS) return this.fail('too_many_before_auth', 'too many packets before the auth reply');
        early.push(p);
        return;
      }
      case OPEN:
        return this.dispatch(p);
    }
  }

  private async authenticate(p: Packet): Promise<void> {
    const { logic, metrics, buckets, rooms, logger, deadlines } = this.ctx;
    let reply;
    const resumeKey = resumeKeyOf(p.body);
    const settle = resumeKey ? await this.ctx.resumeGate.beforeResume(resumeKey) : undefined;
    try {
      reply = await logic.connect(p.body, { clientIp: this.clientIp, clientPort: this.clientPort, transport: this.link.transport });
    } catch (err) {
      settle?.(false);
      const failure = authFailure(err);
      metrics.auth.inc({ result: failure.result });
      this.close(failure.reason, Op.DisconnectReply, failure.code);
      return;
    }
    metrics.auth.inc({ result: 'ok' });
    settle?.(reply.resumed && reply.key === resumeKey && !this.closed);
    if (this.closed) {
      // The client left while logic was answering: undo the session logic just wrote.
      logic.disconnect(reply.mid, reply.key).catch(() => undefined);
      return;
    }
    this.key = reply.key;
    this.mid = reply.mid;
    this.roomId = reply.roomId;
    this.accepts = this.ctx.accepts.acquire(reply.accepts);
    this.flags |= REGISTERED;
    const grants = Grants.of(reply.permissions, reply.platform);
    if (grants) this.onDemand.grants = grants;
    // Before the channel is registered: the first push to it already takes the op-27 form.
    if (reply.delivery) {
      this.flags |= DELIVERY;
      this.onDemand.device = reply.device;
    }
    deadlines.unwatch(this);
    const roomRefused = this.roomId !== '' && createsRoomPastLimit(buckets, this.roomId, this.ctx.config.limits.maxRoomsTotal);
    if (roomRefused) {
      this.ctx.metrics.limited.inc({ limit: 'rooms_total' });
      this.roomId = '';
    }
    buckets.put(this)?.close('replaced by a newer connection with the same key', Op.Kick, 'replaced');
    if (this.roomId) this.roomId = buckets.intern(this.roomId);
    // Rooms a resume restores are held to the (possibly new) token's grants too.
    if (reply.resumed) restoreRooms(this, (reply.rooms ?? []).filter((r) => grants?.room(r) !== false), this.ctx.config.maxRooms);
    // Two missed heartbeats plus some slack for a slow network.
    this.timeoutTicks = ticksOf(reply.heartbeatSec * 2_000 + Math.min(5_000, reply.heartbeatSec * 1_000));
    this.lastSeen = this.refreshedAt = deadlines.now();
    this.setState(OPEN);
    await rooms.ready(this.roomList());
    this.send(Op.AuthReply, p.seq, authReplyBody(reply, this.roomId, this.link.authExtras?.()));
    if (roomRefused) this.sendError(p.seq, 'too_many_rooms', `room ${reply.roomId} not joined: this comet holds its most rooms`);
    if (reply.held?.length) deliverHeld(this, reply.held);
    logger.debug({ key: this.key, mid: this.mid, transport: this.link.transport, ip: this.clientIp, resumed: reply.resumed || undefined }, 'authenticated');
    const early = this.onDemandState?.early;
    if (!early) return;
    this.onDemandState!.early = undefined;
    for (const q of early) if (this.isOpen) this.dispatch(q);
  }

  private dispatch(p: Packet): void {
    // Any traffic proves the link alive; silence past the deadline ends it.
    this.lastSeen = this.ctx.deadlines.now();
    switch (p.op) {
      case Op.Heartbeat:
        this.send(Op.HeartbeatReply, p.seq, int32Body(this.roomId ? this.ctx.rooms.online(this.roomId) : 0));
        return;
      case Op.ChangeRoom:
        return this.limit(p.seq, 'room_ops') ? void this.roomOps.change(p) : undefined;
      case Op.JoinRoom:
        return this.limit(p.seq, 'room_ops') ? void this.roomOps.join(p) : undefined;
      case Op.LeaveRoom:
        return this.limit(p.seq, 'room_ops') ? this.roomOps.leave(p) : undefined;
      case Op.Sub:
      case Op.Unsub:
        return watchOps(this, this.ctx, p);
      case Op.Auth:
        return this.sendError(p.seq, 'already_authenticated', 'this connection is already authenticated');
      default:
        if (p.op === Op.SendMsg || (p.op >= 1000 && p.op <= MAX_BUSINESS_OP)) return this.upstream(p.seq, p.op, p.body);
        if (this.delivery && DeliveryOps.handles(p.op)) return this.deliveryOps.handle(p);
        return this.refuse(p.seq, 'operation_range', 'unsupported_operation', `operation ${p.op} is not supported from clients`);
    }
  }

  /** Upstream messages (op 4, business ops, op 30 with the client's id), in order to logic; op 5 answers each. */
  upstream(seq: number, operation: number, payload: Uint8Array, clientMsgId = ''): void {
    if (!this.limit(seq, 'upstream')) return;
    (this.onDemand.upstreamOps ??= new UpstreamOps(this, this.ctx)).send(seq, operation, payload, clientMsgId);
  }

  // ---- limits (docs/security.md) --------------------------------------------------------------

  private nowMs(): number {
    return this.ctx.deadlines.now() * TICK_MS;
  }

  /** Takes a token from this connection's bucket of `kind`; without one the request is refused. */
  private limit(seq: number, kind: RatedKind): boolean {
    const rates = (this.onDemand.rates ??= new ConnectionRates(this.ctx.config.limits));
    if (rates.allow(kind, this.nowMs())) return true;
    this.refuse(seq, kind, 'rate_limited', `too many ${kind === 'upstream' ? 'messages' : 'room changes'}; slow down`);
    return false;
  }

  /** Answers a refused request (op 22, the connection stays) and counts it; past its strikes the connection is closed. */
  refuse(seq: number, limit: string, code: string, reason: string): void {
    this.ctx.metrics.limited.inc({ limit });
    const rates = (this.onDemand.rates ??= new ConnectionRates(this.ctx.config.limits));
    if (rates.strike(this.nowMs())) return this.sendError(seq, code, reason);
    this.ctx.metrics.limited.inc({ limit: 'strikes' });
    this.close(`kept sending past its limits (last: ${reason})`, Op.DisconnectReply, 'rate_limited');
  }
}
