import { Op } from '@imgate/protocol';
import type { Channel } from '../bucket/channel';
import { Outbound } from '../push/outbound';
import type { Link } from '../transport/link';
import { AcceptSets } from './accept-sets';
import { type ConnectionContext, reasonBody } from './connection-context';
import { ConnectionRooms } from './connection-rooms';
import { CHECKSUM, CLOSED, DELIVERY, HANDSHAKE, IP_COUNTED, type OnDemandState, OPEN, REGISTERED, STATE } from './connection-state';
import type { Sweepable } from './deadlines';
import type { Grants } from './grants';

/**
 * A connection as pushes and endings see it: who it is (key, mid, rooms, accepts, transport, the
 * client's address), how a message is written to it (with the slow-consumer cut), and every way
 * it ends, each with a reason. Connection, the subclass, speaks the client protocol. One object
 * per connection (a comet holds them by the million): layers of one class, not members.
 */
export abstract class ConnectionChannel extends ConnectionRooms implements Channel, Sweepable {
  key = '';
  mid = 0;
  accepts: ReadonlySet<number> = AcceptSets.empty;
  protected flags = HANDSHAKE;
  protected onDemandState: OnDemandState | undefined = undefined;

  constructor(
    protected readonly link: Link,
    protected readonly ctx: ConnectionContext,
  ) {
    super();
  }

  /** Called by the deadline sweep (the subclass holds the deadlines). */
  abstract sweep(now: number): void;

  protected get state(): number {
    return this.flags & STATE;
  }

  protected setState(s: number): void {
    this.flags = (this.flags & ~STATE) | s;
  }

  protected get onDemand(): OnDemandState {
    return (this.onDemandState ??= {});
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

  /** Counts this connection against its address's limit; false when the address already holds the most. */
  admit(): boolean {
    if (!this.ctx.ipLimits.admit(this.clientIp)) return false;
    this.flags |= IP_COUNTED;
    return true;
  }

  get closed(): boolean {
    return this.state === CLOSED;
  }

  get isOpen(): boolean {
    return this.state === OPEN;
  }

  // ---- rooms (ConnectionRooms): the membership index in buckets follows every change --------

  protected memberJoined(room: string): void {
    this.ctx.buckets.join(this, room);
  }

  protected memberLeft(room: string): void {
    this.ctx.buckets.leave(this, room);
  }

  protected intern(room: string): string {
    return this.ctx.buckets.intern(room);
  }

  /** Logic's session record follows room changes made after auth (resume, /v1/connections). */
  protected roomsChanged(): void {
    if (this.isOpen) this.ctx.sessionUpdates.add(this);
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

  protected cleanup(reason: string): void {
    if (this.closed) return;
    this.setState(CLOSED);
    const { metrics, buckets, logic, logger, deadlines, accepts } = this.ctx;
    deadlines.unwatch(this);
    accepts.release(this.accepts);
    this.accepts = AcceptSets.empty;
    if (this.flags & IP_COUNTED) this.ctx.ipLimits.release(this.clientIp);
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
