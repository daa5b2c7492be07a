import { Inject, Injectable } from '@nestjs/common';
import { crc32 } from '@imgate/protocol';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { Bucket } from './bucket';
import type { Channel } from './channel';

/**
 * All channels of this comet, sharded by key hash (goim's buckets), with comet-wide member
 * counts per room. The first member of a room here is announced to listeners, so the cluster
 * learns at once that room messages must reach this comet.
 */
@Injectable()
export class Buckets {
  private readonly shards: Bucket[];
  private readonly encoder = new TextEncoder();
  private readonly counts = new Map<string, number>();
  /** One string per room with members here, shared by every member that names it. */
  private readonly names = new Map<string, string>();
  private readonly roomAdded: Array<(room: string) => void> = [];

  constructor(@Inject(COMET_CONFIG) config: Pick<CometConfig, 'buckets'>) {
    this.shards = Array.from({ length: config.buckets }, () => new Bucket());
  }

  onRoomAdded(listener: (room: string) => void): void {
    this.roomAdded.push(listener);
  }

  get shardCount(): number {
    return this.shards.length;
  }

  shard(i: number): Bucket {
    return this.shards[i];
  }

  bucket(key: string): Bucket {
    return this.shards[crc32(this.encoder.encode(key)) % this.shards.length];
  }

  put(ch: Channel): Channel | undefined {
    const bucket = this.bucket(ch.key);
    const old = bucket.get(ch.key);
    if (old === ch) return undefined;
    if (old) for (const room of old.roomList()) this.count(room, -1);
    bucket.put(ch);
    for (const room of ch.roomList()) this.count(room, +1);
    return old;
  }

  remove(ch: Channel): boolean {
    if (!this.bucket(ch.key).remove(ch)) return false;
    for (const room of ch.roomList()) this.count(room, -1);
    return true;
  }

  /** Adds a registered channel to a room (the channel updates its own room set first). */
  join(ch: Channel, room: string): void {
    if (this.bucket(ch.key).get(ch.key) === ch && this.bucket(ch.key).join(ch, room)) this.count(room, +1);
  }

  leave(ch: Channel, room: string): void {
    if (this.bucket(ch.key).leave(ch, room)) this.count(room, -1);
  }

  /**
   * The room's name as already held here, or `room` itself: connections keep this one, so a room of
   * 10,000 members costs one string, not 10,000 copies decoded from 10,000 auth replies.
   */
  intern(room: string): string {
    return this.names.get(room) ?? room;
  }

  private count(room: string, delta: number): void {
    const n = (this.counts.get(room) ?? 0) + delta;
    if (n <= 0) {
      this.counts.delete(room);
      this.names.delete(room);
    } else {
      this.counts.set(room, n);
      if (!this.names.has(room)) this.names.set(room, room);
    }
    if (n === 1 && delta > 0) for (const l of this.roomAdded) l(room);
  }

  channel(key: string): Channel | undefined {
    return this.bucket(key).get(key);
  }

  /** Channels of one user held here. */
  byMid(mid: number): Channel[] {
    const out: Channel[] = [];
    for (const b of this.shards) for (const ch of b.channels.values()) if (ch.mid === mid) out.push(ch);
    return out;
  }

  roomSize(room: string): number {
    return this.counts.get(room) ?? 0;
  }

  /** Member counts of every room with members here. */
  roomCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** Members of a room, bucket by bucket. */
  *members(room: string): IterableIterator<Channel> {
    for (const b of this.shards) {
      const set = b.rooms.get(room);
      if (set) yield* set;
    }
  }

  get size(): number {
    let n = 0;
    for (const b of this.shards) n += b.channels.size;
    return n;
  }

  *all(): IterableIterator<Channel> {
    for (const b of this.shards) yield* b.channels.values();
  }
}
