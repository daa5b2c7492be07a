import type { Clock } from '@imgate/common';
import type { RedisClient } from '@imgate/store';
import { type RedisPipeline, RedisScript, results } from './redis-script';
import { streamKey } from './stream-keys';
import { type HeldEntry, judgeAfter, judgeLast, pageSize, type StreamMeta } from './stream-read';
import {
  type AppendItem, type Appended, DEFAULT_STREAM_SETTINGS, newEpoch, streamBounds, type StreamHead, type StreamPosition, type StreamRead,
  type StreamRepository, type StreamSettings,
} from './stream.repository';

/**
 * One stream's append, atomic: the epoch (created when the meta hash is missing, which also drops
 * any orphaned history), the offsets, the entries, the trim and both expiries. `t` never goes
 * back along a stream, so "older than the age bound" is always a prefix of the history.
 * KEYS: meta, history. ARGV: candidate epoch, now ms, size, ttl ms, then id/operation/body per message.
 * Offsets are Lua doubles here: exact up to 2^53, formatted with %d (tostring would write 1e+15).
 */
const APPEND = `
local meta = redis.call('HMGET', KEYS[1], 'epoch', 't')
local epoch, last = meta[1], tonumber(meta[2]) or 0
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'top', 0)
end
local t = string.format('%d', math.max(tonumber(ARGV[2]), last))
local n = (#ARGV - 4) / 3
local first = redis.call('HINCRBY', KEYS[1], 'top', n) - n + 1
for k = 0, n - 1 do
  local j = 5 + 3 * k
  redis.call('XADD', KEYS[2], string.format('%d-1', first + k), 'i', ARGV[j], 'o', ARGV[j + 1], 'b', ARGV[j + 2], 't', t)
end
redis.call('XTRIM', KEYS[2], 'MAXLEN', ARGV[3])
redis.call('HSET', KEYS[1], 't', t)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[4]))
return {epoch, string.format('%d', first)}
`;

const U64_MAX = 2n ** 64n - 1n;

/** Layout in docs/delivery.md: `{prefix}{s:<stream>}:m` (meta hash) and `:x` (history stream). */
export class RedisStreamRepository implements StreamRepository {
  private readonly appendScript: RedisScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly settings: StreamSettings = DEFAULT_STREAM_SETTINGS,
  ) {
    this.appendScript = new RedisScript(redis, 'imgateStreamAppend', APPEND, 2);
  }

  async append(items: ReadonlyArray<AppendItem>): Promise<Appended[]> {
    const byStream = new Map<string, number[]>();
    items.forEach((item, i) => {
      const at = byStream.get(item.stream);
      if (at) at.push(i);
      else byStream.set(item.stream, [i]);
    });
    if (byStream.size === 0) return [];
    const now = this.clock.now();
    const p = this.redis.pipeline();
    for (const [stream, at] of byStream) {
      const { size, ttlSec } = streamBounds(this.settings, stream);
      const args: Array<string | number | Buffer> = [newEpoch(), now, size, ttlSec * 1000];
      for (const i of at) {
        const { id, operation, body } = items[i];
        args.push(id.toString(), operation, Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      }
      this.appendScript.queue(p, [this.key(stream, 'm'), this.key(stream, 'x')], args);
    }
    const replies = results(await p.exec());
    const out = new Array<Appended>(items.length);
    [...byStream].forEach(([stream, at], k) => {
      const [epoch, first] = pair(replies[k]);
      at.forEach((i, j) => (out[i] = { stream, epoch: Number(epoch), offset: BigInt(first) + BigInt(j) }));
    });
    return out;
  }

  async read(stream: string, position: StreamPosition, limit: number): Promise<StreamRead> {
    const { size, ttlSec } = streamBounds(this.settings, stream);
    const history = this.key(stream, 'x');
    // MULTI: the meta and the entries come from one moment, even while others append.
    const m = this.redis.multi().hmget(this.key(stream, 'm'), 'epoch', 'top');
    const n = 'last' in position ? Math.min(Math.floor(position.last), size) : pageSize(limit) + 1;
    const inRange = 'last' in position || (position.after >= 0n && position.after < U64_MAX);
    if (n > 0 && inRange) {
      if ('last' in position) m.xrevrangeBuffer(history, '+', '-', 'COUNT', n);
      else m.xrangeBuffer(history, (position.after + 1n).toString(), '+', 'COUNT', n);
    }
    const replies = results(await m.exec());
    const meta = parseMeta(replies[0]);
    const entries = replies.length > 1 ? parseEntries(replies[1]) : [];
    const cutoff = this.clock.now() - ttlSec * 1000;
    if ('last' in position) return judgeLast(stream, meta, n, entries.reverse(), cutoff, limit);
    return judgeAfter(stream, meta, position.epoch, position.after, entries, cutoff, limit);
  }

  async heads(streams: ReadonlyArray<string>): Promise<Map<string, StreamHead>> {
    const out = new Map<string, StreamHead>();
    if (streams.length === 0) return out;
    const p: RedisPipeline = this.redis.pipeline();
    for (const s of streams) {
      streamBounds(this.settings, s); // rejects a name that is not a stream
      p.hmget(this.key(s, 'm'), 'epoch', 'top');
    }
    results(await p.exec()).forEach((r, i) => {
      const meta = parseMeta(r);
      out.set(streams[i], { epoch: meta?.epoch ?? 0, head: meta?.top ?? 0n });
    });
    return out;
  }

  private key(stream: string, suffix: 'm' | 'x'): string {
    return streamKey(this.prefix, stream, suffix);
  }
}

function pair(reply: unknown): [string, string] {
  if (Array.isArray(reply) && reply.length === 2 && reply.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return [String(reply[0]), String(reply[1])];
  }
  throw new Error(`unexpected stream append reply: ${JSON.stringify(reply)}`);
}

export function parseMeta(reply: unknown): StreamMeta | null {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string' || typeof reply[1] !== 'string') return null;
  return { epoch: Number(reply[0]), top: BigInt(reply[1]) };
}

function parseEntries(reply: unknown): HeldEntry[] {
  if (!Array.isArray(reply)) return [];
  const out: HeldEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || !Buffer.isBuffer(item[0]) || !Array.isArray(item[1])) continue;
    const id = item[0].toString();
    const fields = new Map<string, Buffer>();
    const raw: unknown[] = item[1];
    for (let k = 0; k + 1 < raw.length; k += 2) {
      const f = raw[k];
      const v = raw[k + 1];
      if (Buffer.isBuffer(f) && Buffer.isBuffer(v)) fields.set(f.toString(), v);
    }
    const [i, o, b, t] = [fields.get('i'), fields.get('o'), fields.get('b'), fields.get('t')];
    if (!i || !o || !b || !t) continue;
    out.push({ offset: BigInt(id.slice(0, id.indexOf('-'))), id: BigInt(i.toString()), operation: Number(o.toString()), body: b, t: Number(t.toString()) });
  }
  return out;
}
