import type { Outbound } from '../push/outbound';

export type TransportName = 'tcp' | 'ws' | 'kcp';

/**
 * One client's byte pipe, whatever the transport. Writes never block: `pendingBytes` tells how
 * much output the transport still holds, which the connection bounds (slow consumers are cut).
 */
export interface Link {
  readonly transport: TransportName;
  /** The client's real address: behind a trusted proxy or relay, the one it vouched for. */
  readonly remoteAddress: string;
  /** The client's port (0 when a forwarding header did not say). */
  readonly remotePort: number;
  /** Writes a prepared message in this transport's wire form. */
  write(out: Outbound, checksum: boolean): void;
  readonly pendingBytes: number;
  /** Flushes what was written, then closes. */
  end(): void;
  /** Closes now, dropping unsent output. */
  destroy(): void;
}

/** What a transport delivers to the connection above it. */
export interface LinkHandler {
  onData(bytes: Uint8Array): void;
  onClose(): void;
}
