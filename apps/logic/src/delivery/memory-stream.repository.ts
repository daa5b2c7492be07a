import type { Clock } from '@imgate/common';
import { type HeldEntry, judgeAfter, judgeLast, pageSize } from './stream-read';
import {
  type AppendItem, type Appended, DEFAULT_STREAM_SETTINGS, newEpoch, streamBounds, type StreamHead, type StreamPosition, type StreamRead,
  type StreamRepository, type StreamSettings,
} from './stream.repository';

interface Stream {
  epoch: number;
  top: bigint;
  t: number;
  /** Contiguous offsets, oldest first. */
  entries: HeldEntry[];
  historyExpiresAt: number;
  metaExpiresAt: number;
}

/** The embedded default's history: the Redis layout's semantics (bounds, expiry, epochs) in memory. */
export class MemoryStreamRepository implements StreamRepository {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: StreamSettings = DEFAULT_STREAM_SETTINGS,
  ) {}

  /** The stream as Redis would hold it now: gone after 2× the age bound, history gone after 1×. */
  private live(name: string): Stream | undefined {
    const s = this.streams.get(name);
    if (!s) return undefined;
    const now = this.clock.now();
    if (s.metaExpiresAt <= now) {
      this.streams.delete(name);
      return undefined;
    }
    if (s.historyExpiresAt <= now) s.entries = [];
    return s;
  }

  async append(items: ReadonlyArray<AppendItem>): Promise<Appended[]> {
    const out: Appended[] = [];
    for (const item of items) {
      const { size, ttlSec } = streamBounds(this.settings, item.stream);
      const now = this.clock.now();
      let s = this.live(item.stream);
      if (!s) {
        s = { epoch: newEpoch(), top: 0n, t: 0, entries: [], historyExpiresAt: 0, metaExpiresAt: 0 };
        this.streams.set(item.stream, s);
      }
      s.top += 1n;
      s.t = Math.max(s.t, now);
      s.entries.push({ offset: s.top, id: item.id, operation: item.operation, body: Uint8Array.from(item.body), t: s.t });
      if (s.entries.length > size) s.entries.splice(0, s.entries.length - size);
      s.historyExpiresAt = now + ttlSec * 1000;
      s.metaExpiresAt = now + 2 * ttlSec * 1000;
      out.push({ stream: item.stream, epoch: s.epoch, offset: s.top });
    }
    return out;
  }

  async read(stream: string, position: StreamPosition, limit: number): Promise<StreamRead> {
    const { size, ttlSec } = streamBounds(this.settings, stream);
    const s = this.live(stream);
    const meta = s ? { epoch: s.epoch, top: s.top } : null;
    const entries = s?.entries ?? [];
    const cutoff = this.clock.now() - ttlSec * 1000;
    if ('last' in position) {
      const n = Math.min(Math.floor(position.last), size);
      return judgeLast(stream, meta, n, n > 0 ? entries.slice(-n) : [], cutoff, limit);
    }
    const from = entries.length ? Math.max(0, Number(position.after + 1n - entries[0].offset)) : 0;
    return judgeAfter(stream, meta, position.epoch, position.after, entries.slice(from, from + pageSize(limit) + 1), cutoff, limit);
  }

  async heads(streams: ReadonlyArray<string>): Promise<Map<string, StreamHead>> {
    const out = new Map<string, StreamHead>();
    for (const name of streams) {
      streamBounds(this.settings, name); // rejects a name that is not a stream
      const s = this.live(name);
      out.set(name, { epoch: s?.epoch ?? 0, head: s?.top ?? 0n });
    }
    return out;
  }

  /** Drops expired streams and histories; the embedded default calls it periodically. */
  sweep(): void {
    for (const name of [...this.streams.keys()]) this.live(name);
  }
}
