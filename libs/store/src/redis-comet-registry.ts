import type { Clock } from '@imgate/common';
import type { RedisClient } from './redis';
import { type CometAnnouncement, type CometNode, type CometRegistry, parseCometNode } from './comet-registry';

/**
 * Comets in one Redis hash (one key, so it lives in one Cluster slot): field = comet id,
 * value = JSON with updatedAt. Readers skip entries older than the TTL and prune long-dead ones.
 */
export class RedisCometRegistry implements CometRegistry {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {
    this.key = `${prefix}comets`;
  }

  async register(node: CometAnnouncement): Promise<boolean> {
    const value: CometNode = { ...node, updatedAt: this.clock.now() };
    // HSET answers how many fields are new: 1 when the entry was missing.
    return (await this.redis.hset(this.key, node.id, JSON.stringify(value))) === 1;
  }

  async deregister(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }

  async list(): Promise<CometNode[]> {
    const all = await this.redis.hgetall(this.key);
    const now = this.clock.now();
    const live: CometNode[] = [];
    const dead: string[] = [];
    for (const [id, json] of Object.entries(all)) {
      const node = parseCometNode(json);
      if (node && now - node.updatedAt <= this.ttlMs) live.push(node);
      else if (!node || now - node.updatedAt > this.ttlMs * 10) dead.push(id);
    }
    if (dead.length) await this.redis.hdel(this.key, ...dead);
    return live;
  }
}
