import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { COMET_REGISTRY, type CometRegistry } from '@imgate/store';
import { clusterClient, GRPC_CLIENT_OPTIONS, LOGGER, type Logger } from '@imgate/common';
import { type CometClient, loadCometProto } from '@imgate/contracts';
import type { JobConfig } from './job.config';
import { JOB_CONFIG } from './job.tokens';
import { JobMetrics } from './job.metrics';

interface Entry {
  address: string;
  client: CometClient;
}

/** gRPC clients for the comets the registry lists; follows comets as they come and go, no restart. */
@Injectable()
export class CometPool implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly clients = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;

  constructor(
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(JOB_CONFIG) private readonly config: JobConfig,
    private readonly metrics: JobMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  ids(): string[] {
    return [...this.clients.keys()];
  }

  get(id: string): CometClient | undefined {
    return this.clients.get(id)?.client;
  }

  /** Re-reads the registry (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const nodes = await this.registry.list();
    const live = new Set<string>();
    const Comet = loadCometProto().imgate.comet.Comet;
    // job's certificate (mTLS) or CLUSTER_SECRET proof: comets take calls from job and logic only.
    const { credentials, options } = clusterClient(this.config.cluster, { role: 'job', id: '' });
    for (const node of nodes) {
      live.add(node.id);
      const known = this.clients.get(node.id);
      if (known?.address === node.grpc) continue;
      known?.client.close();
      this.clients.set(node.id, { address: node.grpc, client: new Comet(node.grpc, credentials, { ...GRPC_CLIENT_OPTIONS, ...options }) });
      this.logger.info({ comet: node.id, address: node.grpc }, 'comet joined');
    }
    for (const [id, entry] of this.clients) {
      if (live.has(id)) continue;
      entry.client.close();
      this.clients.delete(id);
      this.logger.info({ comet: id }, 'comet left');
    }
    this.metrics.comets.set(this.clients.size);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'registry read failed'));
    }, this.config.registryRefreshMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
