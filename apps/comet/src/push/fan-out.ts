import type { Channel } from '../bucket/channel';
import { needPush } from '../bucket/channel';
import type { CometMetrics } from '../comet.metrics';
import type { Outbound } from './outbound';

type Tally = Record<'tcp' | 'ws' | 'kcp', [number, number]>;

const tally = (): Tally => ({ tcp: [0, 0], ws: [0, 0], kcp: [0, 0] });

/**
 * Writes one prepared message to many channels. The loop does no allocation per member and
 * never waits: a member whose output is backed up past the bound is cut, the rest go on.
 * A member that opted in to reliable delivery gets the op-27 form (when the message has one).
 * The accepts filter reads the business operation, except for stream messages to such members:
 * they get every message of their streams (the SDK hides what the app did not accept). Metrics are added once per
 * fan-out, not per member.
 */
export function fanOut(channels: Iterable<Channel>, out: Outbound, metrics: CometMetrics): number {
  const plain = tally();
  let streamed: Tally | undefined;
  let delivered = 0;
  for (const ch of channels) {
    const form = out.formFor(ch.delivery === true);
    // The accepts filter reads the business operation; stream messages to opted-in channels pass it.
    if (!form.sequenced && !needPush(ch, out.op)) continue;
    if (!ch.deliver(form)) continue;
    delivered++;
    (form === out ? plain : (streamed ??= tally()))[ch.transport][ch.checksum ? 1 : 0]++;
  }
  count(plain, out, metrics);
  if (streamed) count(streamed, out.delivery!, metrics);
  return delivered;
}

function count(t: Tally, form: Outbound, metrics: CometMetrics): void {
  for (const transport of ['tcp', 'ws', 'kcp'] as const) {
    const [plain, summed] = t[transport];
    if (plain + summed === 0) continue;
    metrics.packetsOut.inc({ transport }, (plain + summed) * form.count);
    metrics.bytesOut.inc({ transport }, (plain ? plain * form.byteLength(transport, false) : 0) + (summed ? summed * form.byteLength(transport, true) : 0));
  }
}
