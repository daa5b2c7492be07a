import { isStreamName, parseOffset, U32_MAX } from '@imgate/protocol';
import type { StreamHead } from './stream-tracker.js';

/** The `delivery` part of an op-8 auth reply (docs/delivery.md). */
export interface AuthDelivery {
  /** The device name the server settled on. */
  device: string | undefined;
  /** The head of each of the connection's streams. */
  heads: Map<string, StreamHead>;
}

/**
 * Reads `delivery` from an auth reply object (see authReply in auth.ts); undefined when the
 * server did not opt the connection in. Malformed entries are left out, not fatal.
 */
export function authDelivery(reply: Record<string, unknown>): AuthDelivery | undefined {
  const d = reply.delivery;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return undefined;
  const { device, streams } = d as Record<string, unknown>;
  const heads = new Map<string, StreamHead>();
  if (typeof streams === 'object' && streams !== null && !Array.isArray(streams)) {
    for (const [name, v] of Object.entries(streams as Record<string, unknown>)) {
      if (!isStreamName(name) || typeof v !== 'object' || v === null) continue;
      const { epoch, head } = v as Record<string, unknown>;
      const offset = parseOffset(head);
      if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch > U32_MAX || offset === undefined) continue;
      heads.set(name, { epoch, head: offset });
    }
  }
  return { device: typeof device === 'string' ? device : undefined, heads };
}
