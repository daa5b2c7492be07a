import { isServiceError } from '@imgate/common';
import { decode, decodeBatch, encode, Op, type Packet, ProtocolError, StreamDecoder } from '@imgate/protocol';
import type { Channel } from '../bucket/channel';
import type { Link, LinkHandler } from '../transport/link';
import { type ConnectionContext, int32Body, jsonBody, reasonBody } from './connection-context';

type State = 'handshake' | 'authenticating' | 'open' | 'closed';

const MAX_EARLY_PACKETS = 16;
const MAX_UPSTREAM_IN_FLIGHT = 64;

/**
 * One client session over any transport: handshake deadline, auth through logic, heartbeats with
 * a server-side deadline, upstream messages, and every way it can end (each with a reason).
 */
export class Connection implements Channel, LinkHandler {
  key = '';
  mid = 0;
  roomId = '';
  readonly accepts = new Set<number>();
  checksum = false;

  private state: State = 'handshake';
  private readonly decoder?: StreamDecoder;
  private timer: NodeJS.Timeout;
  private heartbeatMs = 0;
  private early: Packet[] = [];
  private upstream: Promise<void> = Promise.resolve();
  private upstreamDepth = 0;
  private lastSessionRefresh = 0;
  private registered = false;

  constructor(
    private readonly link: Link,
    private readonly ctx: ConnectionContext,
    /** WebSocket delivers whole packets per message; TCP and KCP deliver a byte stream. */
    framed: boolean,
  ) {
    if (!framed) this.decoder = new StreamDecoder({ maxPacketLen: ctx.config.maxClientPacket });
    const { handshakeTimeoutMs } = ctx.config;
    this.timer = setTimeout(() => this.fail('handshake_timeout', `not authenticated within ${handshakeTimeoutMs} ms`), handshakeTimeoutMs);
    ctx.metrics.accepted.inc({ transport: link.transport });
    ctx.metrics.connections.inc({ transport: link.transport });
  }

  onData(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.ctx.metrics.bytesIn.inc({ transport: this.link.transport }, bytes.length);
    let packets: Packet[];
    try {
      packets = this.decoder ? this.decoder.push(bytes) : [decode(bytes, { maxPacketLen: this.ctx.config.maxClientPacket })];
      if (packets.length) this.ctx.metrics.packetsIn.inc({ transport: this.link.transport }, packets.length);
      for (const p of packets) {
        if (p.op === Op.Raw) for (const inner of decodeBatch(p.body, { maxPacketLen: this.ctx.config.maxClientPacket })) this.handle(inner);
        else this.handle(p);
        if (this.closed) return;
      }
    } catch (err) {
      if (err instanceof ProtocolError) this.fail(err.code, err.message);
      else throw err;
    }
  }

  get closed(): boolean {
    return this.state === 'closed';
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
    const { logic, metrics, buckets, logger } = this.ctx;
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
    reply.accepts.forEach((op) => this.accepts.add(op));
    if (this.state === 'closed') {
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
    this.send(Op.AuthReply, p.seq, jsonBody({
      mid: reply.mid,
      key: reply.key,
      room_id: reply.roomId,
      heartbeat: reply.heartbeatSec,
      heartbeat_min: reply.heartbeatMinSec,
      heartbeat_step: reply.heartbeatStepSec,
    }));
    this.touch();
    logger.debug({ key: this.key, mid: this.mid, transport: this.link.transport }, 'authenticated');
    const early = this.early;
    this.early = [];
    for (const q of early) if (this.state === 'open') this.dispatch(q);
  }

  private dispatch(p: Packet): void {
    this.touch();
    switch (p.op) {
      case Op.Heartbeat:
        this.send(Op.HeartbeatReply, p.seq, int32Body(this.ctx.buckets.roomSize(this.roomId)));
        this.refreshSession();
        return;
      case Op.Auth:
        return this.sendError(p.seq, 'already_authenticated', 'this connection is already authenticated');
      default:
        if (p.op === Op.SendMsg || p.op >= 1000) return this.receive(p);
        return this.sendError(p.seq, 'unsupported_operation', `operation ${p.op} is not supported from clients`);
    }
  }

  /** Upstream messages go to logic one at a time, so they reach the queue in the order sent. */
  private receive(p: Packet): void {
    if (this.upstreamDepth >= MAX_UPSTREAM_IN_FLIGHT) return this.sendError(p.seq, 'too_many_in_flight', 'wait for replies before sending more');
    this.upstreamDepth++;
    // Copy: the body is a view into a socket chunk that may be reused before logic is called.
    const body = Uint8Array.from(p.body);
    this.upstream = this.upstream.then(async () => {
      try {
        await this.ctx.logic.receive({ mid: this.mid, key: this.key, roomId: this.roomId, operation: p.op, seq: p.seq | 0, body });
        this.send(Op.SendMsgReply, p.seq, new Uint8Array(0));
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

  /** Any traffic proves the link alive; silence past the deadline ends it. */
  private touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail('heartbeat_timeout', `no heartbeat within ${this.heartbeatMs} ms`), this.heartbeatMs);
  }

  send(op: number, seq: number, body: Uint8Array): boolean {
    return this.writeEncoded(encode({ op, seq, body, checksum: this.checksum }), 1);
  }

  private sendError(seq: number, code: string, reason: string): void {
    this.send(Op.Error, seq, reasonBody(code, reason));
  }

  writeEncoded(packet: Uint8Array, packets: number): boolean {
    if (this.state === 'closed') return false;
    if (this.link.pendingBytes + packet.length > this.ctx.config.maxPendingBytes) {
      this.ctx.metrics.protocolErrors.inc({ reason: 'slow_consumer' });
      this.link.destroy();
      this.cleanup('slow consumer');
      return false;
    }
    this.link.write(packet);
    this.ctx.metrics.packetsOut.inc({ transport: this.link.transport }, packets);
    this.ctx.metrics.bytesOut.inc({ transport: this.link.transport }, packet.length);
    return true;
  }

  private fail(code: string, reason: string): void {
    this.ctx.metrics.protocolErrors.inc({ reason: code });
    this.close(reason, Op.DisconnectReply, code);
  }

  /** Tells the client why (op 6 disconnect or op 21 kick), flushes, and closes. */
  close(reason: string, op: Op = Op.DisconnectReply, code = 'closed'): void {
    if (this.state === 'closed') return;
    this.send(op, 0, reasonBody(code, reason));
    this.link.end();
    this.cleanup(code);
  }

  private cleanup(reason: string): void {
    if (this.state === 'closed') return;
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
