import type { Channel } from '../bucket/channel';
import { needPush } from '../bucket/channel';
import type { CometMetrics } from '../comet.metrics';
import type { Outbound } from './outbound';

type Tally = Record<'tcp' | 'ws' | 'kcp', [number, number]>;

/**
 * Writes one prepared message to many channels. The loop does no allocation per member and
 * never waits: a member whose output is backed up past the bound is cut, the rest go on.
 * Metrics are added once per fan-out, not per member.
 */
export function fanOut(channels: Iterable<Channel>, out: Outbound, metrics: CometMetrics): number {
  const tally: Tally = { tcp: [0, 0], ws: [0, 0], kcp: [0, 0] };
  let delivered = 0;
  for (const ch of channels) {
    if (!needPush(ch, out.op) || !ch.deliver(out)) continue;
    delivered++;
    tally[ch.transport][ch.checksum ? 1 : 0]++;
  }
  for (const transport of ['tcp', 'ws', 'kcp'] as const) {
    const [plain, summed] = tally[transport];
    if (plain + summed === 0) continue;
    metrics.packetsOut.inc({ transport }, (plain + summed) * out.count);
    metrics.bytesOut.inc({ transport }, (plain ? plain * out.byteLength(transport, false) : 0) + (summed ? summed * out.byteLength(transport, true) : 0));
  }
  return delivered;
}
