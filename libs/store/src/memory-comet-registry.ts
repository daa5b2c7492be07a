import type { Clock } from '@imgate/common';
import type { CometAnnouncement, CometNode, CometRegistry } from './comet-registry';

/** The embedded default's registry: same TTL semantics as the Redis one, in process memory. */
export class MemoryCometRegistry implements CometRegistry {
  private readonly nodes = new Map<string, CometNode>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  async register(node: CometAnnouncement): Promise<boolean> {
    const created = !this.nodes.has(node.id);
    this.nodes.set(node.id, { ...node, updatedAt: this.clock.now() });
    return created;
  }

  async deregister(id: string): Promise<void> {
    this.nodes.delete(id);
  }

  async list(): Promise<CometNode[]> {
    const now = this.clock.now();
    for (const [id, n] of this.nodes) if (now - n.updatedAt > this.ttlMs) this.nodes.delete(id);
    return [...this.nodes.values()];
  }
}
