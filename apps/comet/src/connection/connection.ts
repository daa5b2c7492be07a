import { isServiceError } from '@imgate/common';
import { decodeBatch, decodeMessage, Op, type Packet, ProtocolError, StreamDecoder } from '@imgate/protocol';
import type { Channel } from '../bucket/channel';
import { Outbound } from '../push/outbound';
import type { Link, LinkHandler } from '../transport/link';
import { AcceptSets } from './accept-sets';
import { type ConnectionContext, int32Body, jsonBody, parseOps, reasonBody } from './connection-context';
import { type Sweepable, ticksOf, TICK_MS } from './deadlines';
import { authDeliveryBlock, DeliveryOps } from './delivery-ops';
import { Grants } from './grants';
import { resumeKeyOf } from './resume-gate';
import { deliverHeld, restoreRooms, resumeFields } from './resume-ops';
import { RoomOps } from './room-ops';

// `flags`: the state in the low two bits, then one bit each.
const HANDSHAKE = 0;
const AUTHENTICATING = 1;
const OPEN = 2;
const CLOSED = 3;
const STATE = 0b11;
const CHECKSUM = 1 << 2;
const REGISTERED = 1 << 3;
/** Opted in to reliable delivery (docs/delivery.md): op-27 pushes, ops 18/28/30. */
const DELIVERY = 1 << 4;

/** gRPC codes by which logic refuses a client: UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT. */
const REFUSALS = new Set([16, 7, 3]);
const MAX_EARLY_PACKETS = 16;
const MAX_UPSTREAM_IN_FLIGHT = 64;
const MAX_ACCEPTS = 256;
const EMPTY = new Uint8Array(0);

/** State only some connections ever need, created on first use (an idle connection has none). */
interface OnDemandState {
  /** Packets that arrived while auth was in flight. */
  early?: Packet[];
  /** Upstream messages go to logic one at a time, in order. */
  upstream?: Promise<void>;
  upstreamDepth: number;
  roomOps?: RoomOps;
  /** With reliable delivery: the device acks are recorded under, and ops 18/28/30. */
  device?: string;
  deliveryOps?: DeliveryOps;
  /** Room and operation limits from the token (docs/security.md); absent: none. */
  grants?: Grants;
}

/**
 * One client session over any transport: handshake deadline, auth through logic, heartbeats with
 * a server-side deadline, rooms and operation filters, upstream messages, and every way it can
 * end (each with a reason).
 *
 * An idle connection is what a comet holds by the million, so this object keeps little: no timer
 * (the deadline sweep reads `lastSeen`), no decoder for WebSocket (whole packets per message), a
 * shared accepts set, the main room as a shared string and a set only for further rooms, and
 * whatever only some connections need in one object created on first use.
 */
export class Connection implements Channel, LinkHandler, Sweepable {
  key = '';
  mid = 0;
  /** The main room (auth's room_id, moved by op 12); empty for none. Never also in `extraRooms`. */
  roomId = '';
  accepts: ReadonlySet<number> = AcceptSets.empty;
  /** Rooms joined with op 23 beyond the main one. */
  private extraRooms: Set<string> | undefined = undefined;
  private flags = HANDSHAKE;
  /** Stream transports only (TCP, KCP): a WebSocket message holds whole packets. */
  private readonly decoder: StreamDecoder | undefined;
  /** Deadline clock ticks: when the client was last heard from, and when its session was last refreshed. */
  private lastSeen: number;
  private refreshedAt = 0;
  /** Silence allowed, in ticks: the handshake timeout, then the heartbeat deadline. */
  private timeoutTicks: number;
  private onDemandState: OnDemandState | undefined = undefined;

  constructor(
    private readonly link: Link,
    private readonly ctx: ConnectionContext,
    /** WebSocket messages must hold whole packets; TCP and KCP are a byte stream. */
    framed: boolean,
  ) {
    this.decoder = framed ? undefined : new StreamDecoder({ maxPacketLen: ctx.config.maxClientPacket });
    this.lastSeen = ctx.deadlines.now();
    this.timeoutTicks = ticksOf(ctx.config.handshakeTimeoutMs);
    ctx.deadlines.watch(this);
    ctx.metrics.accepted.inc({ transport: link.transport });
    ctx.metrics.connections.inc({ transport: link.transport });
  }

  private get state(): number {
    return this.flags & STATE;
  }

  private setState(s: number): void {
    this.flags = (this.flags & ~STATE) | s;
  }

  private get onDemand(): OnDemandState {
    return (this.onDemandState ??= { upstreamDepth: 0 });
  }

  private get roomOps(): RoomOps {
    return (this.onDemand.roomOps ??= new RoomOps(this, this.ctx));
  }

  private get deliveryOps(): DeliveryOps {
    return (this.onDemand.deliveryOps ??= new DeliveryOps(this, this.ctx));
  }

  /** Whether the client opted in to reliable delivery: pushes with an id reach it as op 27. */
  get delivery(): boolean {
    return (this.flags & DELIVERY) !== 0;
  }

  /** Its device, with reliable delivery (else empty). */
  get device(): string {
    return this.onDemandState?.device ?? '';
  }

  /** Its room and operation limits, if its token has any. */
  get grants(): Grants | undefined {
    return this.onDemandState?.grants;
  }

  /** Whether this client speaks the 20-byte checksummed header. */
  get checksum(): boolean {
    return (this.flags & CHECKSUM) !== 0;
  }

  get transport(): 'tcp' | 'ws' | 'kcp' {
    return this.link.transport;
  }

  /**
   * The client's real address: behind a trusted proxy (PROXY protocol, X-Forwarded-For) or KCP
   * relay, the one it vouched for. What logic, online counts, per-IP limits, logs and metrics use.
   */
  get clientIp(): string {
    return this.link.remoteAddress;
  }

  get clientPort(): number {
    return this.link.remotePort;
  }

  /** The same as `clientIp` (the Channel interface's name). */
  get remoteAddress(): string {
    return this.link.remoteAddress;
  }

  get closed(): boolean {
    return this.state === CLOSED;
  }

  get isOpen(): boolean {
    return this.state === OPEN;
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
        if (p.op !== Op.Auth) return this.fail('op_before_auth', `operation ${p.op} before auth`);
        if (p.checksum) this.flags |= CHECKSUM;
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
      // Only logic's refusals end the client's retries (auth_failed); anything else (logic, Redis or
      // Kafka away, a deadline, an internal fault) is retryable: the SDK backs off and tries again.
      const unavailable = !(isServiceError(err) && REFUSALS.has(err.code));
      metrics.auth.inc({ result: unavailable ? 'unavailable' : 'rejected' });
      const reason = isServiceError(err) ? err.details : (err as Error).message;
      this.close(unavailable ? `auth service unavailable (${reason})` : reason, Op.DisconnectReply, unavailable ? 'unavailable' : 'auth_failed');
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
    buckets.put(this)?.close('replaced by a newer connection with the same key', Op.Kick, 'replaced');
    if (this.roomId) this.roomId = buckets.intern(this.roomId);
    // Rooms a resume restores are held to the (possibly new) token's grants too.
    if (reply.resumed) restoreRooms(this, (reply.rooms ?? []).filter((r) => grants?.room(r) !== false), this.ctx.config.maxRooms);
    // Two missed heartbeats plus some slack for a slow network.
    this.timeoutTicks = ticksOf(reply.heartbeatSec * 2_000 + Math.min(5_000, reply.heartbeatSec * 1_000));
    this.lastSeen = this.refreshedAt = deadlines.now();
    this.setState(OPEN);
    await rooms.ready(this.roomList());
    this.send(
      Op.AuthReply,
      p.seq,
      jsonBody({
        mid: reply.mid,
        key: reply.key,
        room_id: reply.roomId,
        heartbeat: reply.heartbeatSec,
        heartbeat_min: reply.heartbeatMinSec,
        heartbeat_step: reply.heartbeatStepSec,
        ...(reply.delivery ? { delivery: authDeliveryBlock(reply) } : {}),
        ...resumeFields(reply),
      }),
    );
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
        return void this.roomOps.change(p);
      case Op.JoinRoom:
        return void this.roomOps.join(p);
      case Op.LeaveRoom:
        return this.roomOps.leave(p);
      case Op.Sub:
      case Op.Unsub:
        return this.watch(p);
      case Op.Auth:
        return this.sendError(p.seq, 'already_authenticated', 'this connection is already authenticated');
      default:
        if (p.op === Op.SendMsg || p.op >= 1000) return this.upstream(p.seq, p.op, p.body);
        if (this.delivery && DeliveryOps.handles(p.op)) return this.deliveryOps.handle(p);
        return this.sendError(p.seq, 'unsupported_operation', `operation ${p.op} is not supported from clients`);
    }
  }

  /** Op 14/16 (goim's watch/unwatch): add or remove accepted operations. */
  private watch(p: Packet): void {
    const ops = parseOps(p.body);
    if (!ops) return this.sendError(p.seq, 'bad_operations', 'the body must be comma-separated business operations, e.g. 1000,1001');
    const refused = p.op === Op.Sub ? this.grants?.refusedSub(ops) : undefined;
    if (refused !== undefined) return this.sendError(p.seq, 'forbidden_operation', `operation ${refused} is not permitted by the token`);
    const next = new Set(this.accepts);
    if (p.op === Op.Sub) for (const op of ops) next.add(op);
    else for (const op of ops) next.delete(op);
    if (next.size > MAX_ACCEPTS) return this.sendError(p.seq, 'bad_operations', `at most ${MAX_ACCEPTS} accepted operations`);
    const shared = this.ctx.accepts.acquire(next);
    this.ctx.accepts.release(this.accepts);
    this.accepts = shared;
    this.ctx.sessionUpdates.add(this);
    this.send(p.op === Op.Sub ? Op.SubReply : Op.UnsubReply, p.seq, p.body);
  }

  /**
   * Upstream messages (op 4, business ops, op 30 with the client's id) go to logic one at a time,
   * so they reach the queue in the order sent; op 5 answers each.
   */
  upstream(seq: number, operation: number, payload: Uint8Array, clientMsgId = ''): void {
    if (this.grants?.sends(operation) === false) return this.sendError(seq, 'forbidden_operation', `sending operation ${operation} is not permitted by the token`);
    const state = this.onDemand;
    if (state.upstreamDepth >= MAX_UPSTREAM_IN_FLIGHT) return this.sendError(seq, 'too_many_in_flight', 'wait for replies before sending more');
    state.upstreamDepth++;
    // Copy: the body is a view into a socket chunk that may be reused before logic is called.
    const body = Uint8Array.from(payload);
    state.upstream = (state.upstream ?? Promise.resolve()).then(async () => {
      try {
        await this.ctx.logic.receive({ mid: this.mid, key: this.key, roomId: this.roomId, operation, seq: seq | 0, body, clientMsgId });
        this.send(Op.SendMsgReply, seq, EMPTY);
      } catch (err) {
        this.sendError(seq, 'upstream_failed', isServiceError(err) ? err.details : (err as Error).message);
      } finally {
        state.upstreamDepth--;
      }
    });
  }

  // ---- rooms (the membership index in buckets follows every change) ----------------------------

  roomList(): string[] {
    const out = this.roomId ? [this.roomId] : [];
    if (this.extraRooms) for (const r of this.extraRooms) out.push(r);
    return out;
  }

  hasRoom(room: string): boolean {
    return room !== '' && (room === this.roomId || this.extraRooms?.has(room) === true);
  }

  get roomCount(): number {
    return (this.roomId ? 1 : 0) + (this.extraRooms?.size ?? 0);
  }

  /** Op 12: the main room becomes `room` (empty: none); the old main room is left. */
  moveMainRoom(room: string): void {
    const { buckets } = this.ctx;
    if (room === this.roomId) return;
    this.roomsChanged();
    if (this.roomId) buckets.leave(this, this.roomId);
    this.roomId = '';
    if (!room) return;
    // A room joined with op 23 becomes the main one: already a member.
    if (this.extraRooms?.delete(room)) {
      if (this.extraRooms.size === 0) this.extraRooms = undefined;
    } else buckets.join(this, room);
    this.roomId = buckets.intern(room);
  }

  /** Logic's session record follows room changes made after auth (resume, /v1/connections). */
  private roomsChanged(): void {
    if (this.isOpen) this.ctx.sessionUpdates.add(this);
  }

  /** Op 23: one more room. */
  joinRoom(room: string): void {
    if (this.hasRoom(room)) return;
    (this.extraRooms ??= new Set()).add(room);
    this.ctx.buckets.join(this, room);
    this.roomsChanged();
  }

  /** Op 25: leave a room (the main one too). */
  leaveRoom(room: string): void {
    if (!this.hasRoom(room)) return;
    this.roomsChanged();
    if (room === this.roomId) this.roomId = '';
    else {
      this.extraRooms!.delete(room);
      if (this.extraRooms!.size === 0) this.extraRooms = undefined;
    }
    this.ctx.buckets.leave(this, room);
  }

  // ---- output and endings ----------------------------------------------------------------------

  send(op: number, seq: number, body: Uint8Array): boolean {
    return this.deliver(new Outbound(op, [body], seq));
  }

  sendError(seq: number, code: string, reason: string): void {
    this.send(Op.Error, seq, reasonBody(code, reason));
  }

  deliver(out: Outbound): boolean {
    if (this.closed) return false;
    if (this.link.pendingBytes + out.byteLength(this.link.transport, this.checksum) > this.ctx.config.maxPendingBytes) {
      this.ctx.metrics.protocolErrors.inc({ reason: 'slow_consumer' });
      this.link.destroy();
      this.cleanup('slow_consumer');
      return false;
    }
    this.link.write(out, this.checksum);
    return true;
  }

  /** Ends the connection for bad input: counted by reason, and the client is told why (op 6). */
  fail(code: string, reason: string): void {
    this.ctx.metrics.protocolErrors.inc({ reason: code });
    this.close(reason, Op.DisconnectReply, code);
  }

  /** Tells the client why (op 6 disconnect, op 21 kick or op 20 reconnect), flushes, and closes. */
  close(reason: string, op: Op = Op.DisconnectReply, code = 'closed', extra?: Record<string, unknown>): void {
    if (this.closed) return;
    this.send(op, 0, reasonBody(code, reason, extra));
    this.link.end();
    this.cleanup(code);
  }

  /** Drops the link now, unsent output included (shutdown). */
  destroy(reason: string): void {
    if (this.closed) return;
    this.link.destroy();
    this.cleanup(reason);
  }

  private cleanup(reason: string): void {
    if (this.closed) return;
    this.setState(CLOSED);
    const { metrics, buckets, logic, logger, deadlines, accepts } = this.ctx;
    deadlines.unwatch(this);
    accepts.release(this.accepts);
    this.accepts = AcceptSets.empty;
    metrics.connections.dec({ transport: this.link.transport });
    metrics.closed.inc({ reason });
    // A channel replaced by a newer one with the same key must not erase that one's session.
    if ((this.flags & REGISTERED) === 0 || !buckets.remove(this)) return;
    const { mid, key } = this;
    this.ctx.resumeGate.disconnect(key, () =>
      logic.disconnect(mid, key).catch((err: unknown) => {
        logger.warn({ key, err: (err as Error).message }, 'disconnect not recorded in logic');
      }),
    );
  }
}
