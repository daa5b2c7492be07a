import { Op } from '@imgate/protocol';
import { Connector } from './connector.js';
import { isRefusal } from './errors.js';
import type { ImgateClientOptions } from './options.js';
import { checkOps, formatOps, parseOps } from './session-state.js';
import type { SendResult } from './streams/outbox.js';
import { bytesOf, textOf } from './wire.js';

/**
 * An imgate connection that looks after itself (see Connector for how): the application sends,
 * moves between rooms and picks operations; each request's promise settles with the server's
 * reply to it (matched by seq), an op 22 error, a timeout or the end of the connection. Rooms and
 * operations are the client's desired state, kept across reconnects: a change made while
 * disconnected is applied by the next connection, and its promise resolves then.
 */
export class ImgateClient extends Connector {
  constructor(options: ImgateClientOptions = {}) {
    super(options);
  }

  /** The main room (as asked for; the connection's confirmed room is `connection.room`). */
  get room(): string {
    return this.session.room;
  }

  /** Rooms joined beside the main one. */
  get rooms(): string[] {
    return [...this.session.extraRooms];
  }

  /** Business operations this client receives. */
  get accepts(): number[] {
    return [...this.session.accepts];
  }

  /**
   * Sends a message upstream (op 4, or a business operation: `send(body, 1001)` or
   * `send(body, { op: 1001 })`); resolves when the server acknowledged it (op 5). With reliable
   * delivery it goes as op 30 with a client id (`id` in the result), waits through reconnects
   * instead of failing, and is resent with the same id until answered; the server writes it once.
   */
  async send(body: Uint8Array | string | object, options: number | { op?: number } = {}): Promise<SendResult> {
    const op = (typeof options === 'number' ? options : options.op) ?? Op.SendMsg;
    if (op !== Op.SendMsg) checkOps([op]);
    if (this.outbox) return this.outbox.send(op, bytesOf(body));
    const reply = await this.request(op, bytesOf(body));
    return { seq: reply.seq };
  }

  /**
   * With reliable delivery: asks the server now for anything that followed the messages held, in
   * every stream (a last message that never came live is otherwise seen at the next message of its
   * stream or the next reconnect). A no-op without delivery or while disconnected.
   */
  recover(): void {
    this.delivery?.recover();
  }

  /**
   * The device's network changed (Wi-Fi to cellular, a new local address): over KCP the session
   * moves to a fresh socket (bound to `localAddress` if given) and keeps its key, rooms and
   * streams without a new auth (`migrated` follows). False when the transport cannot move (TCP,
   * WebSocket: they reconnect when the old path fails) or nothing is connected.
   */
  networkChanged(opts: { localAddress?: string } = {}): boolean {
    return this.rebindLink(opts.localAddress);
  }

  /** Moves the main room (op 12). Resolves with the room the server confirmed; a refused room is not kept. */
  async changeRoom(room: string): Promise<string> {
    const previous = this.session.room;
    this.session.room = room;
    if (this.status !== 'open') return (await this.whenConnected()).room;
    try {
      const confirmed = textOf((await this.request(Op.ChangeRoom, bytesOf(room))).body);
      this.confirmRoom(confirmed);
      if (previous !== confirmed) this.delivery?.forget(`r:${previous}`);
      return confirmed;
    } catch (err) {
      if (isRefusal(err) && this.session.room === room) this.session.room = previous;
      throw err;
    }
  }

  /** Joins a further room beside the main one (op 23). */
  async joinRoom(room: string): Promise<string> {
    this.session.extraRooms.add(room);
    if (this.status !== 'open') return (await this.whenConnected(), room);
    try {
      return textOf((await this.request(Op.JoinRoom, bytesOf(room))).body);
    } catch (err) {
      if (isRefusal(err)) this.session.extraRooms.delete(room);
      throw err;
    }
  }

  /** Leaves a room joined with joinRoom (op 25). */
  async leaveRoom(room: string): Promise<string> {
    this.session.extraRooms.delete(room);
    this.delivery?.forget(`r:${room}`);
    if (this.status !== 'open') return (await this.whenConnected(), room);
    return textOf((await this.request(Op.LeaveRoom, bytesOf(room))).body);
  }

  /** Receives these business operations too (op 14). */
  async subscribe(ops: readonly number[]): Promise<number[]> {
    const added = checkOps(ops).filter((op) => !this.session.accepts.has(op));
    added.forEach((op) => this.session.accepts.add(op));
    if (this.status !== 'open') return (await this.whenConnected(), [...ops]);
    try {
      return parseOps(textOf((await this.request(Op.Sub, bytesOf(formatOps(ops)))).body));
    } catch (err) {
      if (isRefusal(err)) added.forEach((op) => this.session.accepts.delete(op));
      throw err;
    }
  }

  /** Stops receiving these business operations (op 16). */
  async unsubscribe(ops: readonly number[]): Promise<number[]> {
    checkOps(ops).forEach((op) => this.session.accepts.delete(op));
    if (this.status !== 'open') return (await this.whenConnected(), [...ops]);
    return parseOps(textOf((await this.request(Op.Unsub, bytesOf(formatOps(ops)))).body));
  }
}
