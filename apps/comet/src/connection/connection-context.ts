import type { Logger } from '@imgate/common';
import type { Buckets } from '../bucket/buckets';
import type { CometConfig } from '../comet.config';
import type { LogicClient } from '../logic/logic.client';
import type { CometMetrics } from '../metrics/comet.metrics';

/** What every connection shares: config, channel index, logic, metrics, log. */
export interface ConnectionContext {
  config: CometConfig;
  buckets: Buckets;
  logic: Pick<LogicClient, 'connect' | 'disconnect' | 'heartbeat' | 'receive'>;
  metrics: CometMetrics;
  logger: Logger;
}

const encoder = new TextEncoder();

/** Body of the packets that carry a reason (op 6 disconnect, op 21 kick, op 22 error). */
export function reasonBody(code: string, reason: string): Uint8Array {
  return encoder.encode(JSON.stringify({ code, reason }));
}

export function jsonBody(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function int32Body(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
}
