import { isServiceError } from '@imgate/common';
import { decodeBatch, Op, type Packet, ProtocolError, StreamDecoder } from '@imgate/protocol';
import type { Channel } from '../bucket/channel';
import { Outbound } from '../push/outbound';
import type { Link, LinkHandler } from '../transport/link';
import { type ConnectionContext, int32Body, jsonBody, parseOps, reasonBody } from './connection-context';
import { RoomOps } from './room-ops';

type State = 'handshake' | 'authenticating' | 'open' | 'closed';

const MAX_EARLY_PACKETS = 16;
const MAX_UPSTREAM_IN_FLIGHT = 64;
const EMPTY = new Uint8Array(0);

/**
 * One client session over any transport: handshake deadline, auth through logic, heartbeats with
 * a server-side deadline, rooms and operation filters, upstream messages, and every way it can
 * end (each with a reason).
 */
export class Connection implements Channel, LinkHandler {
  key = '';
  mid = 0;
  roomId = '';
  readonly rooms = new Set<string>();
  readonly accepts = new Set<number>();
  checksum = false;

  private state: State = 'handshake';
  private readonly decoder: StreamDecoder;
  private timer: NodeJS.Timeout;
  private heartbeatMs = 0;
  // Created on first use: an idle connection should cost as little as possible.
  private early?: Packet[];
  private upstream?: Promise<void>;
  private upstreamDepth = 0;
  private lastSessionRefresh = 0;
  private registered = false;
  private roomOpsInstance?: RoomOps;

  constructor(
    private readonly link: Link,
    private readonly ctx: ConnectionContext,
    /** WebSocket messages must hold whole packets; TCP and KCP are a byte stream. */
    private readonly framed: boolean,
  ) {
    this.decoder = new StreamDecoder({ maxPacketLen: ctx.config.maxClientPacket });
    this.timer = setTimeout(this.deadline, ctx.config.handshakeTimeoutMs);
    ctx.metrics.accepted.inc({ transport: link.transport });
    ctx.metrics.connections.inc({ transport: link.transport });
  }

  private get roomOps(): RoomOps {
    return (this.roomOpsInstance ??= new RoomOps(this, this.ctx));
  }

  /** One timer serves both deadlines: the handshake before auth, then the heartbeat. */
  private readonly deadline = (): void => {
    if (this.state === 'open') this.fail('heartbeat_timeout', `no heartbeat within ${this.heartbeatMs} ms`);
    else this.fail('handshake_timeout', `not authenticated within ${this.ctx.config.handshakeTimeoutMs} ms`);
  };

  get transport(): 'tcp' | 'ws' | 'kcp' {
    return this.link.transport;
  }

  get remoteAddress(): string {
    return this.link.remoteAddress;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  onData(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    const { metrics, config } = this.ctx;
    metrics.bytesIn.inc({ transport: this.link.transport }, bytes.length);
    try {
      const packets = this.decoder.push(bytes);
      if (this.framed && this.decoder.buffered > 0) throw new ProtocolError('bad_packet_len', 'a WebSocket message ended inside a packet');
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
      case 'handshake':
        if (p.op !== Op.Auth) return this.fail('op_before_auth', `operation ${p.op} before auth`);
        this.checksum = p.checksum;
        this.state = 'authenticating';
        void this.authenticate(p);
        return;
      case 'authenticating':
        this.early ??= [];
        if (this.early.length >= MAX_EARLY_PACKETS) return this.fail('too_many_before_auth', 'too many packets before the auth reply');
        this.early.push(p);
        return;
      case 'open':
        return this.dispatch(p);
      case 'closed':
        return;
    }
  }

  private async authenticate(p: Packet): Promise<void> {
    const { logic, metrics, buckets, rooms, logger } = this.ctx;
    let reply;
    try {
      reply = await logic.connect(p.body, this.link.remoteAddress);
    } catch (err) {
      const unavailable = isServiceError(err) && (err.code === 14 || err.code === 4);
      metrics.auth.inc({ result: unavailable ? 'unavailable' : 'rejected' });
      const reason = isServiceError(err) ? err.details : (err as Error).message;
      this.close(unavailable ? 'auth service unavailable' : reason, Op.DisconnectReply, unavailable ? 'unavailable' : 'auth_failed');
      return;
    }
    metrics.auth.inc({ result: 'ok' });
    this.key = reply.key;
    this.mid = reply.mid;
    this.roomId = reply.roomId;
    if (reply.roomId) this.rooms.add(reply.roomId);
    reply.accepts.forEach((op) => this.accepts.add(op));
    if (this.closed) {
      // The client left while logic was answering: undo the session logic just wrote.
      logic.disconnect(this.mid, this.key).catch(() => undefined);
      return;
    }
    this.registered = true;
    buckets.put(this)?.close('replaced by a newer connection with the same key', Op.Kick, 'replaced');
    // Two missed heartbeats plus some slack for a slow network.
    this.heartbeatMs = reply.heartbeatSec * 2_000 + Math.min(5_000, reply.heartbeatSec * 1_000);
    this.lastSessionRefresh = Date.now();
    this.state = 'open';
    clearTimeout(this.timer);
    this.timer = setTimeout(this.deadline, this.heartbeatMs);
    await rooms.ready(this.rooms);
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
      }),
    );
    logger.debug({ key: this.key, mid: this.mid, transport: this.link.transport }, 'authenticated');
    const early = this.early ?? [];
    this.early = undefined;
    for (const q of early) if (this.isOpen) this.dispatch(q);
  }

  private dispatch(p: Packet): void {
    this.touch();
    switch (p.op) {
      case Op.Heartbeat:
        this.send(Op.HeartbeatReply, p.seq, int32Body(this.roomId ? this.ctx.rooms.online(this.roomId) : 0));
        this.refreshSession();
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
        if (p.op === Op.SendMsg || p.op >= 1000) return this.receive(p);
        return this.sendError(p.seq, 'unsupported_operation', `operation ${p.op} is not supported from clients`);
    }
  }

  /** Op 14/16 (goim's watch/unwatch): add or remove accepted operations. */
  private watch(p: Packet): void {
    const ops = parseOps(p.body);
    if (!ops) return this.sendError(p.seq, 'bad_operations', 'the body must be comma-separated business operations, e.g. 1000,1001');
    if (p.op === Op.Sub) {
      if (this.accepts.size + ops.length > 256) return this.sendError(p.seq, 'bad_operations', 'at most 256 accepted operations');
      ops.forEach((op) => this.accepts.add(op));
    } else ops.forEach((op) => this.accepts.delete(op));
    this.send(p.op === Op.Sub ? Op.SubReply : Op.UnsubReply, p.seq, p.body);
  }

  /** Upstream messages go to logic one at a time, so they reach the queue in the order sent. */
  private receive(p: Packet): void {
    if (this.upstreamDepth >= MAX_UPSTREAM_IN_FLIGHT) return this.sendError(p.seq, 'too_many_in_flight', 'wait for replies before sending more');
    this.upstreamDepth++;
    // Copy: the body is a view into a socket chunk that may be reused before logic is called.
    const body = Uint8Array.from(p.body);
    this.upstream = (this.upstream ?? Promise.resolve()).then(async () => {
      try {
        await this.ctx.logic.receive({ mid: this.mid, key: this.key, roomId: this.roomId, operation: p.op, seq: p.seq | 0, body });
        this.send(Op.SendMsgReply, p.seq, EMPTY);
      } catch (err) {
        this.sendError(p.seq, 'upstream_failed', isServiceError(err) ? err.details : (err as Error).message);
      } finally {
        this.upstreamDepth--;
      }
    });
  }

  private refreshSession(): void {
    const now = Date.now();
    if (now - this.lastSessionRefresh < this.ctx.config.sessionRefreshMs) return;
    this.lastSessionRefresh = now;
    this.ctx.logic.heartbeat(this.mid, this.key, this.roomId).catch((err: unknown) => {
      this.ctx.logger.warn({ key: this.key, err: (err as Error).message }, 'session refresh failed');
    });
  }

  /** Any traffic proves the link alive; silence past the deadline ends it. Re-arms without allocating. */
  private touch(): void {
    this.timer.refresh();
  }

  setMainRoom(room: string): void {
    this.roomId = room;
  }

  send(op: number, seq: number, body: Uint8Array): boolean {
    return this.deliver(new Outbound(op, [body], seq));
  }

  sendError(seq: number, code: string, reason: string): void {
    this.send(Op.Error, seq, reasonBody(code, reason));
  }

  deliver(out: Outbound): boolean {
    if (this.closed) return false;
    const size = out.count * 64;
    if (this.link.pendingBytes + size > this.ctx.config.maxPendingBytes) {
      this.ctx.metrics.protocolErrors.inc({ reason: 'slow_consumer' });
      this.link.destroy();
      this.cleanup('slow_consumer');
      return false;
    }
    this.link.write(out, this.checksum);
    return true;
  }

  private fail(code: string, reason: string): void {
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

  private cleanup(reason: string): void {
    if (this.closed) return;
    this.state = 'closed';
    clearTimeout(this.timer);
    const { metrics, buckets, logic, logger } = this.ctx;
    metrics.connections.dec({ transport: this.link.transport });
    metrics.closed.inc({ reason });
    // A channel replaced by a newer one with the same key must not erase that one's session.
    if (!this.registered || !buckets.remove(this)) return;
    logic.disconnect(this.mid, this.key).catch((err: unknown) => {
      logger.warn({ key: this.key, err: (err as Error).message }, 'disconnect not recorded in logic');
    });
  }
}
