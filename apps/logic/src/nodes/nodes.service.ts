import { Inject, Injectable } from '@nestjs/common';
import { COMET_REGISTRY, type CometNode, type CometRegistry } from '@imgate/store';

/**
 * The comets a client should try, best first: live, not draining, the client's region first (when
 * it names one), then by weight, then by current load.
 */
@Injectable()
export class NodesService {
  constructor(@Inject(COMET_REGISTRY) private readonly registry: CometRegistry) {}

  async list(region = ''): Promise<CometNode[]> {
    const nodes = (await this.registry.list()).filter((n) => !n.draining && n.weight > 0);
    const away = (n: CometNode) => (region && n.region !== region ? 1 : 0);
    return nodes.sort((a, b) => away(a) - away(b) || b.weight - a.weight || a.connections - b.connections || a.id.localeCompare(b.id));
  }
}
