import type { Packet } from '@imgate/protocol';
import type { ConnectionRates } from '../limits/connection-rates';
import type { DeliveryOps } from './delivery-ops';
import type { Grants } from './grants';
import type { RoomOps } from './room-ops';
import type { UpstreamOps } from './upstream-ops';

// `flags`: the state in the low two bits, then one bit each.
export const HANDSHAKE = 0;
export const AUTHENTICATING = 1;
export const OPEN = 2;
export const CLOSED = 3;
export const STATE = 0b11;
export const CHECKSUM = 1 << 2;
export const REGISTERED = 1 << 3;
/** Opted in to reliable delivery (docs/delivery.md): op-27 pushes, ops 18/28/30. */
export const DELIVERY = 1 << 4;
/** Counted in the per-address connection limit (released on close). */
export const IP_COUNTED = 1 << 5;

/** State only some connections ever need, created on first use (an idle connection has none). */
export interface OnDemandState {
  /** Packets that arrived while auth was in flight. */
  early?: Packet[];
  upstreamOps?: UpstreamOps;
  roomOps?: RoomOps;
  /** With reliable delivery: the device acks are recorded under, and ops 18/28/30. */
  device?: string;
  deliveryOps?: DeliveryOps;
  /** Upstream and room-change buckets and refusal strikes, once it sent either. */
  rates?: ConnectionRates;
  /** Room and operation limits from the token (docs/security.md); absent: none. */
  grants?: Grants;
}
