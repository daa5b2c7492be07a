import { encodeSendWithId, Op, type Packet } from '@imgate/protocol';
import { ImgateError, isRefusal } from '../errors.js';

/** What a reliable send resolves with: the seq of the op 5 that answered it, and the message's client id. */
export interface SendResult {
  seq: number;
  id?: string;
}

interface Entry {
  id: string;
  body: Uint8Array;
  /** The try whose failure counts; an older try's failure (its link is gone) is ignored. */
  attempt: number;
  resolve: (r: SendResult) => void;
  reject: (err: ImgateError) => void;
}

/**
 * Idempotent upstream messages (op 30, docs/delivery.md): each carries a client id and is sent
 * again with the same id after a reconnect, or after a timeout, until an op 5 answers it; the
 * server writes each id once. Only a refusal (op 22) or the client closing fails a send.
 */
export class Outbox {
  private readonly entries = new Map<string, Entry>();
  private attempts = 0;

  constructor(
    private readonly request: (op: number, body: Uint8Array) => Promise<Packet>,
    private readonly newId: () => string = randomSendId,
  ) {}

  /** Sends not yet answered. */
  get size(): number {
    return this.entries.size;
  }

  /** Sends `payload` as `operation` (4, or a business operation); resolves on its op 5. */
  send(operation: number, payload: Uint8Array): Promise<SendResult> {
    let id = this.newId();
    while (this.entries.has(id)) id = this.newId();
    const body = encodeSendWithId({ id, operation, payload });
    return new Promise<SendResult>((resolve, reject) => {
      const entry: Entry = { id, body, attempt: 0, resolve, reject };
      this.entries.set(id, entry);
      this.try(entry);
    });
  }

  /** A new connection: every unanswered send goes again, oldest first. */
  connected(): void {
    for (const entry of [...this.entries.values()]) this.try(entry);
  }

  /** The client closed: every unanswered send fails. */
  failAll(err: ImgateError): void {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) entry.reject(err);
  }

  private try(entry: Entry): void {
    const attempt = (entry.attempt = ++this.attempts);
    this.request(Op.SendWithId, entry.body).then(
      (reply) => {
        if (!this.entries.delete(entry.id)) return;
        entry.resolve({ seq: reply.seq, id: entry.id });
      },
      (err: unknown) => {
        if (entry.attempt !== attempt || !this.entries.has(entry.id)) return;
        const code = err instanceof ImgateError ? err.code : '';
        // A timeout may be a lost reply as well as a lost send: the same id again is safe either way.
        if (code === 'timeout') return this.try(entry);
        if (!isRefusal(err) && code !== 'closed') return; // disconnected, not_connected: the next connection sends it
        this.entries.delete(entry.id);
        entry.reject(err instanceof ImgateError ? err : new ImgateError('disconnected', String(err)));
      },
    );
  }
}

/** 16 hex characters (64 random bits): unique enough per sender within the server's idempotency window. */
export function randomSendId(): string {
  const bytes = new Uint8Array(8);
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
