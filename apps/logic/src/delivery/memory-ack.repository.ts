import type { Clock } from '@imgate/common';
import { type AckEntry, type AckRepository, type AckSettings, acksByUser, byRecentAck, DEFAULT_ACK_SETTINGS, deviceDelivery, type DeviceDelivery } from './ack.repository';
import { userStream } from './stream-keys';
import type { StreamRepository } from './stream.repository';

interface DeviceAck {
  epoch: number;
  offset: bigint;
  lastAckMs: number;
}

interface UserAcks {
  devices: Map<string, DeviceAck>;
  expiresAt: number;
}

/** The embedded default's acks, with the Redis script's rules (max, clamp, epoch, device bound). */
export class MemoryAckRepository implements AckRepository {
  private readonly users = new Map<number, UserAcks>();

  constructor(
    private readonly streams: StreamRepository,
    private readonly clock: Clock,
    private readonly settings: AckSettings = DEFAULT_ACK_SETTINGS,
  ) {}

  private live(mid: number): UserAcks | undefined {
    const u = this.users.get(mid);
    if (u && u.expiresAt <= this.clock.now()) {
      this.users.delete(mid);
      return undefined;
    }
    return u;
  }

  async ack(entries: ReadonlyArray<AckEntry>): Promise<void> {
    const byUser = acksByUser(entries);
    const heads = await this.streams.heads([...byUser.keys()].map(userStream));
    const now = this.clock.now();
    for (const [mid, acks] of byUser) {
      const { epoch, head } = heads.get(userStream(mid)) ?? { epoch: 0, head: 0n };
      const user = this.live(mid) ?? { devices: new Map<string, DeviceAck>(), expiresAt: 0 };
      this.users.set(mid, user);
      for (const a of acks) {
        const offset = a.offset > head ? head : a.offset;
        const held = user.devices.get(a.device);
        const keep = held && held.epoch === epoch && held.offset >= offset;
        user.devices.set(a.device, { epoch, offset: keep ? held.offset : offset, lastAckMs: now });
      }
      const extra = user.devices.size - this.settings.maxDevices;
      if (extra > 0) {
        // The Redis script's order: oldest ack first, ties by device name.
        const oldest = [...user.devices].sort(([da, a], [db, b]) => a.lastAckMs - b.lastAckMs || (da < db ? -1 : da > db ? 1 : 0));
        for (const [device] of oldest.slice(0, extra)) user.devices.delete(device);
      }
      user.expiresAt = now + this.settings.ttlSec * 1000;
    }
  }

  async delivery(mid: number): Promise<DeviceDelivery[]> {
    const user = this.live(mid);
    if (!user) return [];
    const stream = userStream(mid);
    const current = (await this.streams.heads([stream])).get(stream) ?? { epoch: 0, head: 0n };
    return [...user.devices].map(([device, a]) => deviceDelivery(device, a.epoch, a.offset, a.lastAckMs, current)).sort(byRecentAck);
  }

  /** Drops users whose acks expired. */
  sweep(): void {
    for (const mid of [...this.users.keys()]) this.live(mid);
  }
}
