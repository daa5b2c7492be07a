import type { Clock } from '@imgate/common';
import type { RedisClient } from '@imgate/store';
import { type AckEntry, type AckRepository, type AckSettings, acksByUser, byRecentAck, DEFAULT_ACK_SETTINGS, deviceDelivery, type DeviceDelivery } from './ack.repository';
import { parseMeta } from './redis-stream.repository';
import { RedisScript, results } from './redis-script';
import { streamKey, userStream } from './stream-keys';

/**
 * One user's acks, atomic: clamp each offset to the stream's top, keep the max within the current
 * epoch (values are `<epoch>:<offset>`; offsets compare as decimal strings, exact past 2^53), stamp
 * the device, drop the devices that acked longest ago past the bound, refresh the expiry.
 * KEYS: acks, ack times, the user stream's meta (one slot). ARGV: now ms, max devices, ttl ms, then device/offset pairs.
 */
const ACK = `
local meta = redis.call('HMGET', KEYS[3], 'epoch', 'top')
local epoch, top = meta[1] or '0', meta[2] or '0'
local function below(x, y)
  if #x ~= #y then return #x < #y end
  return x < y
end
for j = 4, #ARGV - 1, 2 do
  local device, offset = ARGV[j], ARGV[j + 1]
  if below(top, offset) then offset = top end
  local held = redis.call('HGET', KEYS[1], device)
  local sep = held and string.find(held, ':', 1, true)
  if not (sep and string.sub(held, 1, sep - 1) == epoch and not below(string.sub(held, sep + 1), offset)) then
    redis.call('HSET', KEYS[1], device, epoch .. ':' .. offset)
  end
  redis.call('HSET', KEYS[2], device, ARGV[1])
end
local extra = redis.call('HLEN', KEYS[2]) - tonumber(ARGV[2])
if extra > 0 then
  local flat = redis.call('HGETALL', KEYS[2])
  local devices = {}
  for k = 1, #flat, 2 do devices[#devices + 1] = {flat[k], tonumber(flat[k + 1]) or 0} end
  table.sort(devices, function(x, y)
    if x[2] ~= y[2] then return x[2] < y[2] end
    return x[1] < y[1]
  end)
  for k = 1, extra do
    redis.call('HDEL', KEYS[1], devices[k][1])
    redis.call('HDEL', KEYS[2], devices[k][1])
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 0
`;

/** `{prefix}{s:u:<mid>}:a` (device → `<epoch>:<offset>`) and `:d` (device → last ack ms), beside the stream. */
export class RedisAckRepository implements AckRepository {
  private readonly ackScript: RedisScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly settings: AckSettings = DEFAULT_ACK_SETTINGS,
  ) {
    this.ackScript = new RedisScript(redis, 'imgateDeliveryAck', ACK, 3);
  }

  async ack(entries: ReadonlyArray<AckEntry>): Promise<void> {
    const byUser = acksByUser(entries);
    if (byUser.size === 0) return;
    const now = this.clock.now();
    const p = this.redis.pipeline();
    for (const [mid, acks] of byUser) {
      const stream = userStream(mid);
      const args: Array<string | number> = [now, this.settings.maxDevices, this.settings.ttlSec * 1000];
      for (const a of acks) args.push(a.device, a.offset.toString());
      this.ackScript.queue(p, [streamKey(this.prefix, stream, 'a'), streamKey(this.prefix, stream, 'd'), streamKey(this.prefix, stream, 'm')], args);
    }
    results(await p.exec());
  }

  async delivery(mid: number): Promise<DeviceDelivery[]> {
    const stream = userStream(mid);
    const [acks, times, meta] = results(
      await this.redis
        .multi()
        .hgetall(streamKey(this.prefix, stream, 'a'))
        .hgetall(streamKey(this.prefix, stream, 'd'))
        .hmget(streamKey(this.prefix, stream, 'm'), 'epoch', 'top')
        .exec(),
    );
    const current = parseMeta(meta);
    const head = { epoch: current?.epoch ?? 0, head: current?.top ?? 0n };
    const stamps = record(times);
    const out: DeviceDelivery[] = [];
    for (const [device, value] of Object.entries(record(acks))) {
      const sep = value.indexOf(':');
      if (sep < 0) continue;
      out.push(deviceDelivery(device, Number(value.slice(0, sep)), BigInt(value.slice(sep + 1)), Number(stamps[device] ?? 0), head));
    }
    return out.sort(byRecentAck);
  }
}

function record(reply: unknown): Record<string, string> {
  return reply && typeof reply === 'object' && !Array.isArray(reply) ? (reply as Record<string, string>) : {};
}
