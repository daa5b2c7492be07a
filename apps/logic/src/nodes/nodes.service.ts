import { Inject, Injectable } from '@nestjs/common';
import { COMET_REGISTRY, type CometNode, type CometRegistry } from '@imgate/common';

/** The comets a client should try, best first: live, not draining, by weight then current load. */
@Injectable()
export class NodesService {
  constructor(@Inject(COMET_REGISTRY) private readonly registry: CometRegistry) {}

  async list(): Promise<CometNode[]> {
    const nodes = (await this.registry.list()).filter((n) => !n.draining);
    return nodes.sort((a, b) => b.weight - a.weight || a.connections - b.connections || a.id.localeCompare(b.id));
  }
}
