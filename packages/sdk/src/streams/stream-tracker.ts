import { MAX_SYNC_LIMIT, parseOffset, type StreamMessage, type SyncPosition, type SyncReply } from '@imgate/protocol';
import type { Clock } from '../timers.js';
import type { StoredPositions } from './position-store.js';
import { RecentIds } from './recent-ids.js';

export interface StreamTrackerOptions {
  /** How long a gap may stay open before the tracker asks to pull it from history, ms. Default 300. */
  gapWaitMs?: number;
  /** How long an asked-for sync may go unanswered before it is asked again, ms. Default 5000. */
  syncRetryMs?: number;
  /** Out-of-order messages held per stream; one more is dropped and a sync asked at once. Default 1000. */
  maxBuffered?: number;
  /** Best-effort message ids remembered to drop replays. Default 2048. */
  recentIds?: number;
  /**
   * A stream first seen in the auth reply's heads (no position held for it) starts with its latest
   * `recent` messages (op 28 `last`) instead of after its head: e.g. a chat page showing the room's
   * recent history when it loads. Default 0.
   */
  recent?: number;
}

/** What the app holds of a stream: every message up to `offset` under `epoch`. */
export interface StreamPosition {
  epoch: number;
  offset: bigint;
}

/** The head of a stream as the auth reply (op 8, `delivery.streams`) gives it. */
export interface StreamHead {
  epoch: number;
  head: bigint;
}

/**
 * A stream whose history the app did not fully get: `epoch_changed` (the server lost the
 * stream's history), `lost` (the position is older than the history), `denied` (not the
 * client's stream; no longer tracked). The app should reload the stream from its own store.
 */
export interface StreamReset {
  stream: string;
  reason: 'epoch_changed' | 'lost' | 'denied';
  /** The position held before. */
  from: StreamPosition;
  /** The position the stream continues after (for denied, `from`). */
  to: StreamPosition;
  /** Out-of-order messages held and thrown away. */
  dropped: number;
}

/** What to do after feeding the tracker: hand `messages` to the app in order, raise `resets`, send `sync` in op 28. */
export interface StreamUpdate {
  messages: StreamMessage[];
  resets: StreamReset[];
  sync: SyncPosition[];
}

interface Stream {
  epoch: number;
  /** The last offset handed to the app. */
  delivered: bigint;
  /** The highest offset known to exist; above delivered means a gap. */
  head: bigint;
  /** Held out-of-order messages by offset, all above delivered + 1. */
  held: Map<bigint, StreamMessage>;
  /** When the current gap opened. */
  gapSince: number | undefined;
  /** When a sync for this stream was last asked and not yet answered. */
  askedAt: number | undefined;
  /** Epochs left behind: late messages of theirs are dropped instead of resetting back. */
  retired: number[];
  /** Ask for the latest N (op 28 `last`) rather than from `delivered`, until a reply came. */
  last?: number;
}

const RETIRED_KEPT = 4;

/**
 * Per stream, hands the app each message once and in offset order (docs/delivery.md): drops
 * duplicates by (stream, offset), holds out-of-order messages for a short wait, asks for a sync
 * when a gap stays open, and applies sync replies. Best-effort messages (no stream) pass at once,
 * deduplicated by id. Pure: the caller feeds it packets and the time, and sends what it asks.
 * Epoch 0 means "not known yet" and is replaced by the first epoch seen, without a reset.
 */
export class StreamTracker {
  private readonly streams = new Map<string, Stream>();
  private readonly recent: RecentIds;
  private readonly gapWaitMs: number;
  private readonly syncRetryMs: number;
  private readonly maxBuffered: number;
  private readonly recentOnStart: number;

  constructor(
    private readonly clock: Clock,
    opts: StreamTrackerOptions = {},
  ) {
    this.gapWaitMs = Math.max(0, opts.gapWaitMs ?? 300);
    this.syncRetryMs = Math.max(1, opts.syncRetryMs ?? 5_000);
    this.maxBuffered = Math.max(1, Math.floor(opts.maxBuffered ?? 1_000));
    this.recent = new RecentIds(Math.max(1, Math.floor(opts.recentIds ?? 2_048)));
    this.recentOnStart = Math.max(0, Math.min(MAX_SYNC_LIMIT, Math.floor(opts.recent ?? 0)));
  }

  /** Takes one op-27 message; a message held for later has its payload copied (the caller's may be a socket buffer view). */
  receive(m: StreamMessage): StreamUpdate {
    const out = update();
    if (m.stream === '') {
      if (!this.recent.seen(m.id)) out.messages.push(m);
      return out;
    }
    let s = this.streams.get(m.stream);
    if (s === undefined) {
      // First sight of a stream (a room joined later): it starts at this message.
      s = this.add(m.stream, m.epoch, m.offset - 1n);
    } else if (s.epoch !== m.epoch) {
      if (s.epoch === 0) s.epoch = m.epoch;
      else if (s.retired.includes(m.epoch)) return out;
      // Every message of a new epoch came after the server lost the old one: all of it is new here.
      else out.resets.push(this.reset(m.stream, s, { epoch: m.epoch, offset: 0n }, 'epoch_changed'));
    }
    if (m.offset > s.head) s.head = m.offset;
    if (m.offset === s.delivered + 1n) {
      out.messages.push(m);
      s.delivered = m.offset;
      this.drain(s, out.messages);
    } else if (m.offset > s.delivered && !s.held.has(m.offset)) {
      // When the buffer is full the message is dropped: the sync, asked now rather than after the wait, brings it back.
      if (s.held.size < this.maxBuffered) s.held.set(m.offset, { ...m, payload: m.payload.slice() });
      else if (this.ask(s, false)) out.sync.push(positionOf(m.stream, s));
      s.gapSince ??= this.clock.now();
    }
    if (this.dueAt(s) <= this.clock.now() && this.ask(s, false)) out.sync.push(positionOf(m.stream, s));
    return out;
  }

  /** Applies an op-29 reply, after the op-27 messages that came with it. */
  applySyncReply(reply: SyncReply): StreamUpdate {
    const out = update();
    for (const r of reply.streams) {
      const s = this.streams.get(r.stream);
      if (r.status === 'denied') {
        if (s === undefined) continue;
        this.streams.delete(r.stream);
        const from = { epoch: s.epoch, offset: s.delivered };
        out.resets.push({ stream: r.stream, reason: 'denied', from, to: from, dropped: s.held.size });
        continue;
      }
      if (s === undefined) {
        this.add(r.stream, r.epoch, r.head);
        continue;
      }
      s.askedAt = undefined;
      s.last = undefined;
      if (r.status === 'lost') {
        out.resets.push(this.reset(r.stream, s, { epoch: r.epoch, offset: r.head }, 'lost'));
        this.drain(s, out.messages);
        continue;
      }
      if (s.epoch !== r.epoch && s.epoch !== 0) {
        // A new epoch is read from its start: nothing in it can have reached this client yet.
        out.resets.push(this.reset(r.stream, s, { epoch: r.epoch, offset: 0n }, 'epoch_changed'));
        if (r.head > s.head) s.head = r.head;
        this.drain(s, out.messages);
        if (s.delivered < s.head && this.ask(s, true)) out.sync.push(positionOf(r.stream, s));
        continue;
      }
      s.epoch = r.epoch;
      // The server's head is the truth; held messages past it are live ones that overtook the reply.
      s.head = r.head;
      for (const offset of s.held.keys()) if (offset > s.head) s.head = offset;
      // Offsets the reply did not carry up to here (filtered out by the connection's accepts) are skipped.
      this.settle(s, r.status === 'more' ? r.next - 1n : r.head, out.messages);
      if (r.status === 'more' && this.ask(s, true)) out.sync.push(positionOf(r.stream, s));
    }
    return out;
  }

  /**
   * A connection was authenticated: syncs asked on the last one are void. With the auth reply's
   * heads, a stream whose epoch changed is reset, a stream not tracked yet starts at its head, and
   * only streams behind their head are synced (tracked streams the reply does not name are synced
   * too: the server denies those the connection no longer holds). Without heads, every tracked
   * stream is synced. Send `sync` once the connection's rooms are restored.
   */
  connected(heads?: ReadonlyMap<string, StreamHead>): StreamUpdate {
    const out = update();
    for (const s of this.streams.values()) s.askedAt = undefined;
    for (const [name, h] of heads ?? []) {
      const s = this.streams.get(name);
      if (s === undefined) this.start(name, h.epoch, h.head);
      else if (s.epoch !== h.epoch && s.epoch !== 0) {
        // The server lost the stream's old history (e.g. Redis came back empty): read the new epoch from its start.
        out.resets.push(this.reset(name, s, { epoch: h.epoch, offset: 0n }, 'epoch_changed'));
        if (h.head > s.head) s.head = h.head;
        this.drain(s, out.messages);
      } else if (h.head < s.delivered) {
        out.resets.push(this.reset(name, s, { epoch: h.epoch, offset: h.head }, 'lost'));
        this.drain(s, out.messages);
      } else {
        s.epoch = h.epoch;
        if (h.head > s.head) s.head = h.head;
      }
    }
    for (const [name, s] of this.streams) {
      if ((heads === undefined || !heads.has(name) || s.delivered < s.head) && this.ask(s, true)) out.sync.push(positionOf(name, s));
    }
    return out;
  }

  /** Syncs whose wait ran out (gaps older than gapWaitMs, unanswered asks older than syncRetryMs); counts them as asked. */
  due(): SyncPosition[] {
    const now = this.clock.now();
    const out: SyncPosition[] = [];
    for (const [name, s] of this.streams) if (this.dueAt(s) <= now && this.ask(s, false)) out.push(positionOf(name, s));
    return out;
  }

  /** When due() will next have something, or undefined when no gap is open: the time to set one timer for. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const s of this.streams.values()) {
      const at = this.dueAt(s);
      if (at !== Infinity && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Every tracked stream's position, as op 28 wants it. */
  positions(): SyncPosition[] {
    return [...this.streams].map(([name, s]) => positionOf(name, s));
  }

  /** The position of one stream, if tracked. */
  position(stream: string): StreamPosition | undefined {
    const s = this.streams.get(stream);
    return s && { epoch: s.epoch, offset: s.delivered };
  }

  /** Every tracked stream's position, for a PositionStore. */
  snapshot(): StoredPositions {
    const out: StoredPositions = {};
    for (const [name, s] of this.streams) out[name] = { epoch: s.epoch, offset: s.delivered.toString() };
    return out;
  }

  /** Starts from saved positions (before the first connection); streams already tracked keep theirs. */
  restore(saved: StoredPositions): void {
    for (const [name, p] of Object.entries(saved)) {
      const offset = parseOffset(p.offset);
      if (offset !== undefined && !this.streams.has(name)) this.add(name, p.epoch, offset);
    }
  }

  /** Stops tracking a stream (a room left); its held messages are dropped. */
  forget(stream: string): void {
    this.streams.delete(stream);
  }

  /** A stream first seen at its head: tracked from there, or from `recent` messages back (asked with `last`). */
  private start(name: string, epoch: number, head: bigint): void {
    const back = BigInt(this.recentOnStart) < head ? BigInt(this.recentOnStart) : head;
    const s = this.add(name, epoch, head - back);
    s.head = head;
    if (back > 0n) s.last = Number(back);
  }

  private add(name: string, epoch: number, delivered: bigint): Stream {
    const s: Stream = { epoch, delivered, head: delivered, held: new Map(), gapSince: undefined, askedAt: undefined, retired: [] };
    this.streams.set(name, s);
    return s;
  }

  /** Moves a stream to `to`: held messages of another epoch, or at or below the new offset, are dropped. */
  private reset(stream: string, s: Stream, to: StreamPosition, reason: StreamReset['reason']): StreamReset {
    const from = { epoch: s.epoch, offset: s.delivered };
    const before = s.held.size;
    if (to.epoch !== s.epoch) {
      s.retired = [s.epoch, ...s.retired.filter((e) => e !== to.epoch)].slice(0, RETIRED_KEPT);
      s.held.clear();
    } else {
      for (const offset of s.held.keys()) if (offset <= to.offset) s.held.delete(offset);
    }
    s.epoch = to.epoch;
    s.delivered = to.offset;
    s.head = to.offset;
    for (const offset of s.held.keys()) if (offset > s.head) s.head = offset;
    s.gapSince = s.held.size > 0 ? this.clock.now() : undefined;
    s.askedAt = undefined;
    return { stream, reason, from, to: { ...to }, dropped: before - s.held.size };
  }

  /** Everything up to `upTo` is settled: held messages up to it go out in order, skipping offsets that never came. */
  private settle(s: Stream, upTo: bigint, out: StreamMessage[]): void {
    if (upTo > s.delivered) {
      const ready = [...s.held.keys()].filter((o) => o <= upTo).sort((a, b) => (a < b ? -1 : 1));
      for (const offset of ready) {
        out.push(s.held.get(offset)!);
        s.held.delete(offset);
      }
      s.delivered = upTo;
    }
    this.drain(s, out);
  }

  /** Hands out held messages that now follow on; a gap still open afterwards starts its wait now. */
  private drain(s: Stream, out: StreamMessage[]): void {
    const start = s.delivered;
    for (let next = s.held.get(s.delivered + 1n); next !== undefined; next = s.held.get(s.delivered + 1n)) {
      s.held.delete(next.offset);
      out.push(next);
      s.delivered = next.offset;
    }
    if (s.delivered >= s.head) s.gapSince = undefined;
    else if (s.delivered !== start || s.gapSince === undefined) s.gapSince = this.clock.now();
  }

  private dueAt(s: Stream): number {
    if (s.delivered >= s.head) return Infinity;
    if (s.askedAt !== undefined) return s.askedAt + this.syncRetryMs;
    return s.gapSince === undefined ? this.clock.now() : s.gapSince + this.gapWaitMs;
  }

  /** Records an ask now unless one is pending and not yet stale (or `force`); true when the caller should send it. */
  private ask(s: Stream, force: boolean): boolean {
    const now = this.clock.now();
    if (!force && s.askedAt !== undefined && now < s.askedAt + this.syncRetryMs) return false;
    s.askedAt = now;
    return true;
  }
}

function update(): StreamUpdate {
  return { messages: [], resets: [], sync: [] };
}

function positionOf(stream: string, s: Stream): SyncPosition {
  return s.last !== undefined ? { stream, last: s.last } : { stream, epoch: s.epoch, offset: s.delivered };
}
