import { Op, type Packet } from '@imgate/protocol';
import { ImgateError } from './errors.js';
import type { TimerHandle, Timers } from './timers.js';

interface Pending {
  op: number;
  replyOp: number;
  resolve: (p: Packet) => void;
  reject: (err: ImgateError) => void;
  timer: TimerHandle;
}

/** The reply operation for each request a client sends; op 4 and business operations (≥ 1000) are answered by op 5. */
export function replyOpOf(op: number): number {
  switch (op) {
    case Op.Heartbeat:
      return Op.HeartbeatReply;
    case Op.ChangeRoom:
      return Op.ChangeRoomReply;
    case Op.Sub:
      return Op.SubReply;
    case Op.Unsub:
      return Op.UnsubReply;
    case Op.JoinRoom:
      return Op.JoinRoomReply;
    case Op.LeaveRoom:
      return Op.LeaveRoomReply;
    default:
      return Op.SendMsgReply;
  }
}

/**
 * Requests waiting for their reply, matched by seq (the server echoes the request's seq): the
 * expected reply op resolves, op 22 with that seq rejects with the server's code, and a request
 * still open after its timeout, or when the connection ends, rejects. Seqs are u32 and skip 0
 * (goim clients and the server's own pushes use 0) and any seq still waiting.
 */
export class PendingRequests {
  private readonly pending = new Map<number, Pending>();
  private lastSeq = 0;

  constructor(private readonly timers: Timers) {}

  get size(): number {
    return this.pending.size;
  }

  /** A fresh seq for a packet that expects no reply (auth, fire-and-forget). */
  nextSeq(): number {
    do this.lastSeq = this.lastSeq >= 0xffffffff ? 1 : this.lastSeq + 1;
    while (this.pending.has(this.lastSeq));
    return this.lastSeq;
  }

  /** Registers a request; `send` writes it with the seq given. The promise settles with the reply packet. */
  request(op: number, timeoutMs: number, send: (seq: number) => void): Promise<Packet> {
    const seq = this.nextSeq();
    return new Promise<Packet>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(seq);
        reject(new ImgateError('timeout', `no reply to op ${op} (seq ${seq}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, { op, replyOp: replyOpOf(op), resolve, reject, timer });
      try {
        send(seq);
      } catch (err) {
        this.take(seq);
        reject(err instanceof ImgateError ? err : new ImgateError('disconnected', (err as Error).message));
      }
    });
  }

  /**
   * Settles the request a packet answers. Returns false when the packet answers none (an op 22
   * about something else, a reply that came after its timeout).
   */
  settle(p: Packet): boolean {
    const entry = this.pending.get(p.seq);
    if (!entry) return false;
    if (p.op === Op.Error) {
      this.take(p.seq);
      const { code, reason } = parseReason(p.body);
      entry.reject(new ImgateError(code, reason || `op ${entry.op} failed: ${code}`));
      return true;
    }
    if (p.op !== entry.replyOp) return false;
    this.take(p.seq);
    entry.resolve(p);
    return true;
  }

  /** Rejects every waiting request (the connection ended, or the client closed). */
  failAll(err: ImgateError): void {
    const all = [...this.pending.keys()];
    for (const seq of all) this.take(seq)?.reject(err);
  }

  private take(seq: number): Pending | undefined {
    const entry = this.pending.get(seq);
    if (!entry) return undefined;
    this.pending.delete(seq);
    this.timers.clearTimeout(entry.timer);
    return entry;
  }
}

const utf8 = new TextDecoder();

/** `{"code","reason"}` of op 6, 21 and 22, tolerating a body that is not JSON. */
export function parseReason(body: Uint8Array): { code: string; reason: string } {
  const text = utf8.decode(body);
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    return { code: typeof o.code === 'string' ? o.code : String(o.code ?? 'unknown'), reason: typeof o.reason === 'string' ? o.reason : '' };
  } catch {
    return { code: 'unknown', reason: text };
  }
}
