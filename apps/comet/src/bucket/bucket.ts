import type { Channel } from './channel';

/** A shard of the comet's channels, indexed by key and by room. */
export class Bucket {
  readonly channels = new Map<string, Channel>();
  readonly rooms = new Map<string, Set<Channel>>();

  /** Adds a channel; returns the channel it replaced (same key connected again), if any. */
  put(ch: Channel): Channel | undefined {
    const old = this.channels.get(ch.key);
    if (old && old !== ch) this.leaveRoom(old);
    this.channels.set(ch.key, ch);
    if (ch.roomId) this.joinRoom(ch, ch.roomId);
    return old !== ch ? old : undefined;
  }

  /** Removes the channel if it is still the one registered under its key. */
  remove(ch: Channel): boolean {
    if (this.channels.get(ch.key) !== ch) return false;
    this.channels.delete(ch.key);
    this.leaveRoom(ch);
    return true;
  }

  get(key: string): Channel | undefined {
    return this.channels.get(key);
  }

  roomSize(roomId: string): number {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  private joinRoom(ch: Channel, roomId: string): void {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Set()));
    room.add(ch);
  }

  private leaveRoom(ch: Channel): void {
    const room = ch.roomId ? this.rooms.get(ch.roomId) : undefined;
    if (!room) return;
    room.delete(ch);
    if (room.size === 0) this.rooms.delete(ch.roomId);
  }
}
