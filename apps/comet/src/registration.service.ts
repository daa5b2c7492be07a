import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { COMET_REGISTRY, type CometAnnouncement, type CometNode, type CometRegistry } from '@imgate/store';
import { LOGGER, type Logger, ROLE_INFRA } from '@imgate/common';
import { Buckets } from './bucket/buckets';
import { type CometConfig, hostPort } from './comet.config';
import type { CometInfra } from './comet.infra';
import { COMET_CONFIG } from './comet.tokens';
import { SessionReplay } from './logic/session-replay';

/** A failed replay is tried again this soon (logic's own Redis connection may come back a little later). */
const REPLAY_RETRY_MS = 1_000;

/**
 * Announces this comet (addresses, weight, load). While draining it stays listed, marked draining,
 * so job still delivers to the clients that have not moved yet; it leaves once they have.
 *
 * The store being away is not fatal: the comet boots unregistered (unready) and keeps trying.
 * When the store answers again, the comet announces at once; if its entry was gone (the store
 * came back empty), it writes its sessions and rooms back too (SessionReplay).
 */
@Injectable()
export class RegistrationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private replayTimer?: NodeJS.Timeout;
  private draining = false;
  private stopped = false;
  /** Listed at least once since boot: readiness waits for it. */
  registered = false;
  private replayPending = false;
  private announcing?: Promise<void>;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(ROLE_INFRA) private readonly infra: CometInfra,
    private readonly buckets: Buckets,
    private readonly replays: SessionReplay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  announcement(): CometAnnouncement {
    const { id, advertiseHost, publicHost, publicPorts, grpcPort, weight, tls } = this.config;
    return {
      id,
      grpc: hostPort(advertiseHost, grpcPort),
      ws: `ws://${hostPort(publicHost, publicPorts.ws)}/sub`,
      tcp: hostPort(publicHost, publicPorts.tcp),
      kcp: this.config.kcp.enabled ? hostPort(publicHost, publicPorts.kcp) : '',
      wss: tls ? `wss://${hostPort(publicHost, tls.publicWssPort)}/sub` : '',
      tls: tls ? hostPort(publicHost, tls.publicTlsPort) : '',
      weight,
      region: this.config.region,
      connections: this.buckets.size,
      draining: this.draining,
    };
  }

  /** One announcement at a time: while the store is away, ticks must not pile up behind the first. */
  private announce(): Promise<void> {
    this.announcing ??= this.announceOnce().finally(() => (this.announcing = undefined));
    return this.announcing;
  }

  private async announceOnce(): Promise<void> {
    if (this.stopped) return;
    let created: boolean;
    try {
      created = await this.registry.register(this.announcement());
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'comet registration failed; retrying');
      return;
    }
    if (!this.registered) {
      this.registered = true;
      this.logger.info({ id: this.config.id }, 'comet registered');
    } else if (created) {
      this.logger.warn({ id: this.config.id, sessions: this.buckets.size }, 'registry entry was gone (the store lost its data); writing sessions and rooms back');
      this.replayPending = true;
    }
    if (this.replayPending) void this.replay();
  }

  private async replay(): Promise<void> {
    if (this.replayTimer || this.stopped) return;
    if (await this.replays.replay()) {
      this.replayPending = false;
      return;
    }
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      if (this.replayPending) void this.replay();
    }, REPLAY_RETRY_MS);
  }

  onApplicationBootstrap(): void {
    this.infra.onStoreReturn(() => void this.announce());
    // Not awaited: with the store away the comet still boots (unready) and serves its listeners.
    void this.announce();
    this.timer = setInterval(() => void this.announce(), this.config.registerIntervalMs);
  }

  /** Marks this comet draining: clients are no longer sent here. */
  async setDraining(): Promise<void> {
    this.draining = true;
    await this.announcing;
    await this.announce();
  }

  async deregister(): Promise<void> {
    this.stop();
    await this.registry.deregister(this.config.id).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message }, 'comet deregistration failed');
    });
  }

  /** Other live comets clients can move to, best first. */
  async alternatives(): Promise<Array<Pick<CometNode, 'id' | 'ws' | 'tcp' | 'kcp' | 'wss' | 'tls'>>> {
    const nodes = (await this.registry.list()).filter((n) => n.id !== this.config.id && !n.draining);
    nodes.sort((a, b) => b.weight - a.weight || a.connections - b.connections);
    return nodes.map(({ id, ws, tcp, kcp, wss, tls }) => ({ id, ws, tcp, kcp, wss, tls }));
  }

  private stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.replayTimer);
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
