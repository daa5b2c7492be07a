import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { COMET_REGISTRY, type CometAnnouncement, type CometRegistry } from '@imgate/store';
import { LOGGER, type Logger } from '@imgate/common';
import { Buckets } from './bucket/buckets';
import { type CometConfig, hostPort } from './comet.config';
import { COMET_CONFIG } from './comet.tokens';

/**
 * Announces this comet (addresses, weight, load). While draining it stays listed, marked draining,
 * so job still delivers to the clients that have not moved yet; it leaves once they have.
 */
@Injectable()
export class RegistrationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private draining = false;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    private readonly buckets: Buckets,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  announcement(): CometAnnouncement {
    const { id, advertiseHost, publicHost, publicPorts, grpcPort, weight } = this.config;
    return {
      id,
      grpc: hostPort(advertiseHost, grpcPort),
      ws: `ws://${hostPort(publicHost, publicPorts.ws)}/sub`,
      tcp: hostPort(publicHost, publicPorts.tcp),
      kcp: this.config.kcp.enabled ? hostPort(publicHost, publicPorts.kcp) : '',
      weight,
      region: this.config.region,
      connections: this.buckets.size,
      draining: this.draining,
    };
  }

  private async announce(): Promise<void> {
    try {
      await this.registry.register(this.announcement());
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'comet registration failed; retrying');
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.register(this.announcement());
    this.timer = setInterval(() => void this.announce(), this.config.registerIntervalMs);
    this.logger.info({ id: this.config.id }, 'comet registered');
  }

  /** Marks this comet draining: clients are no longer sent here. */
  async setDraining(): Promise<void> {
    this.draining = true;
    await this.announce();
  }

  async deregister(): Promise<void> {
    clearInterval(this.timer);
    await this.registry.deregister(this.config.id).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message }, 'comet deregistration failed');
    });
  }

  /** Other live comets clients can move to, best first. */
  async alternatives(): Promise<Array<{ id: string; ws: string; tcp: string; kcp: string }>> {
    const nodes = (await this.registry.list()).filter((n) => n.id !== this.config.id && !n.draining);
    nodes.sort((a, b) => b.weight - a.weight || a.connections - b.connections);
    return nodes.map(({ id, ws, tcp, kcp }) => ({ id, ws, tcp, kcp }));
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
