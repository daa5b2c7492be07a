import type { Channel } from './channel';

/** A shard of the comet's channels, indexed by key and by room. */
export class Bucket {
  readonly channels = new Map<string, Channel>();
  readonly rooms = new Map<string, Set<Channel>>();

  /** Adds a channel (with its rooms); returns the channel it replaced under the same key, if any. */
  put(ch: Channel): Channel | undefined {
    const old = this.channels.get(ch.key);
    if (old === ch) return undefined;
    if (old) for (const room of old.roomList()) this.leave(old, room);
    this.channels.set(ch.key, ch);
    for (const room of ch.roomList()) this.join(ch, room);
    return old;
  }

  /** Removes the channel if it is still the one registered under its key. */
  remove(ch: Channel): boolean {
    if (this.channels.get(ch.key) !== ch) return false;
    this.channels.delete(ch.key);
    for (const room of ch.roomList()) this.leave(ch, room);
    return true;
  }

  get(key: string): Channel | undefined {
    return this.channels.get(key);
  }

  /** True when the channel was not yet in the room. */
  join(ch: Channel, room: string): boolean {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    const before = members.size;
    members.add(ch);
    return members.size > before;
  }

  /** True when the channel was in the room. */
  leave(ch: Channel, room: string): boolean {
    const members = this.rooms.get(room);
    if (!members?.delete(ch)) return false;
    if (members.size === 0) this.rooms.delete(room);
    return true;
  }

  roomSize(room: string): number {
    return this.rooms.get(room)?.size ?? 0;
  }
}
