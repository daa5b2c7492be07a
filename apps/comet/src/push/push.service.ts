import { Injectable } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import { BUSINESS_OP_MIN, encode, Op } from '@imgate/protocol';
import { Buckets } from '../bucket/buckets';
import { needPush } from '../bucket/channel';
import { CometMetrics } from '../metrics/comet.metrics';

export interface PushOutcome {
  delivered: number;
  missing: string[];
}

/** Writes pushes to this comet's channels: each packet is encoded once per header mode, not per receiver. */
@Injectable()
export class PushService {
  constructor(
    private readonly buckets: Buckets,
    private readonly metrics: CometMetrics,
  ) {}

  pushKeys(keys: string[], operation: number, body: Uint8Array, acceptedAtMs: number): PushOutcome {
    if (!Number.isInteger(operation) || operation < BUSINESS_OP_MIN) throw RpcError.invalid(`operation ${operation} is not a business operation`);
    let plain: Uint8Array | undefined;
    let checked: Uint8Array | undefined;
    const missing: string[] = [];
    let delivered = 0;
    for (const key of keys) {
      const ch = this.buckets.channel(key);
      if (!ch) {
        missing.push(key);
        continue;
      }
      if (!needPush(ch, operation)) continue;
      const packet = ch.checksum
        ? (checked ??= encode({ op: operation, body, checksum: true }))
        : (plain ??= encode({ op: operation, body }));
      if (ch.writeEncoded(packet, 1)) delivered++;
    }
    if (acceptedAtMs > 0 && delivered > 0) this.metrics.pushLatency.observe(Math.max(0, Date.now() - acceptedAtMs) / 1000);
    return { delivered, missing };
  }

  kick(keys: string[], mids: number[], code: number, reason: string): number {
    const channels = new Set(keys.map((k) => this.buckets.channel(k)).filter((c) => c !== undefined));
    for (const mid of mids) for (const ch of this.buckets.byMid(mid)) channels.add(ch);
    for (const ch of channels) ch.close(reason || 'kicked', Op.Kick, String(code));
    return channels.size;
  }
}
