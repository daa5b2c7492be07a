import { Inject, Injectable } from '@nestjs/common';
import { crc32 } from '@imgate/protocol';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { Bucket } from './bucket';
import type { Channel } from './channel';

/** All channels of this comet, sharded by key hash (goim's buckets). */
@Injectable()
export class Buckets {
  private readonly shards: Bucket[];
  private readonly encoder = new TextEncoder();

  constructor(@Inject(COMET_CONFIG) config: Pick<CometConfig, 'buckets'>) {
    this.shards = Array.from({ length: config.buckets }, () => new Bucket());
  }

  bucket(key: string): Bucket {
    return this.shards[crc32(this.encoder.encode(key)) % this.shards.length];
  }

  put(ch: Channel): Channel | undefined {
    return this.bucket(ch.key).put(ch);
  }

  remove(ch: Channel): boolean {
    return this.bucket(ch.key).remove(ch);
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

  roomSize(roomId: string): number {
    let n = 0;
    for (const b of this.shards) n += b.roomSize(roomId);
    return n;
  }

  get size(): number {
    let n = 0;
    for (const b of this.shards) n += b.channels.size;
    return n;
  }

  all(): IterableIterator<Channel> {
    const shards = this.shards;
    return (function* () {
      for (const b of shards) yield* b.channels.values();
    })();
  }
}
