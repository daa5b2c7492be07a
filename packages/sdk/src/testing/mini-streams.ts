import type { SendWithId, StreamMessage } from '@imgate/protocol';

interface History {
  epoch: number;
  /** The last offset given out. */
  top: bigint;
  /** Kept messages, oldest first (trim drops from the front). */
  messages: StreamMessage[];
}

const utf8 = new TextEncoder();

/**
 * The server side of reliable delivery for MiniComet, shared by all its connections: each
 * stream's epoch, offsets and history, the acks received, and upstream sends written once by id.
 */
export class MiniStreams {
  readonly acks: Array<Map<string, bigint>> = [];
  /** Op-30 sends written upstream, each id once. */
  readonly upstream: SendWithId[] = [];
  private readonly sendIds = new Set<string>();
  private readonly streams = new Map<string, History>();
  private nextId = 1000n;

  /** Appends a message to a stream's history (the stream starts with epoch 1); the caller pushes it, or not. */
  append(stream: string, operation: number, body: string): StreamMessage {
    const h = this.history(stream);
    h.top += 1n;
    const m: StreamMessage = { stream, epoch: h.epoch, offset: h.top, id: this.nextId++, operation, payload: utf8.encode(body) };
    h.messages.push(m);
    return m;
  }

  /** A best-effort message (no stream, no offset). */
  bestEffort(operation: number, body: string, id = this.nextId++): StreamMessage {
    return { stream: '', epoch: 0, offset: 0n, id, operation, payload: utf8.encode(body) };
  }

  head(stream: string): { epoch: number; head: bigint } {
    const h = this.history(stream);
    return { epoch: h.epoch, head: h.top };
  }

  /** Drops history up to and including `offset`, as size or age bounds would. */
  trim(stream: string, offset: bigint): void {
    const h = this.history(stream);
    h.messages = h.messages.filter((m) => m.offset > offset);
  }

  /**
   * What a sync from `epoch`/`offset` gets: the messages after it (at most `limit`), or lost
   * when the epoch differs or history no longer reaches back to it.
   */
  since(stream: string, epoch: number, offset: bigint, limit: number): { status: 'ok' | 'more' | 'lost'; messages: StreamMessage[]; next: bigint } {
    const h = this.history(stream);
    const first = h.messages[0]?.offset ?? h.top + 1n;
    if (epoch !== h.epoch || offset + 1n < first) return { status: 'lost', messages: [], next: 0n };
    const after = h.messages.filter((m) => m.offset > offset);
    if (after.length <= limit) return { status: 'ok', messages: after, next: 0n };
    const messages = after.slice(0, limit);
    return { status: 'more', messages, next: after[messages.length].offset };
  }

  /** Records an op-30 send; true the first time its id is seen. */
  write(m: SendWithId): boolean {
    if (this.sendIds.has(m.id)) return false;
    this.sendIds.add(m.id);
    this.upstream.push({ ...m, payload: m.payload.slice() });
    return true;
  }

  private history(stream: string): History {
    let h = this.streams.get(stream);
    if (!h) this.streams.set(stream, (h = { epoch: 1, top: 0n, messages: [] }));
    return h;
  }
}
