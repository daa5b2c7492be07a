import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { Op } from '@imgate/protocol';
import { Buckets } from './bucket/buckets';
import type { CometConfig } from './comet.config';
import { COMET_CONFIG } from './comet.tokens';
import { reasonBody } from './connection/connection-context';
import { Outbound } from './push/outbound';
import { RegistrationService } from './registration.service';
import { TcpListener } from './transport/tcp.listener';
import { KcpListener } from './transport/kcp.listener';
import { WsListener } from './transport/ws.listener';

/**
 * Graceful shutdown of a comet: marked draining (no new clients are sent here, readiness fails),
 * listeners stop accepting, every client is told to move (op 20, with the other comets best
 * first), and the comet waits up to the drain time for them to go. Pushes keep flowing to those
 * still here. Then the rest are closed and the comet leaves the registry.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  draining = false;

  constructor(
    private readonly buckets: Buckets,
    private readonly registration: RegistrationService,
    private readonly tcp: TcpListener,
    private readonly ws: WsListener,
    private readonly kcp: KcpListener,
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const started = Date.now();
    const clients = this.buckets.size;
    await this.registration.setDraining();
    this.tcp.stopAccepting();
    this.ws.stopAccepting();
    this.kcp.stopAccepting();
    const nodes = await this.registration.alternatives().catch(() => []);
    const move = new Outbound(Op.Reconnect, [reasonBody('draining', 'this comet is shutting down; reconnect to another node', { nodes })]);
    const deadline = started + this.config.drainTimeoutMs;
    const spreadMs = drainSpreadMs(clients, this.config.drainRate, this.config.drainTimeoutMs);
    this.logger.info({ clients, nodes: nodes.length, timeoutMs: this.config.drainTimeoutMs, spreadMs }, 'draining: asking clients to move');
    await this.askToMove(move, spreadMs);
    this.logger.info({ clients, ms: Date.now() - started }, 'draining: every client asked to move');

    while (this.buckets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = this.buckets.size;
    for (const ch of [...this.buckets.all()]) ch.close('the drain time is over', Op.DisconnectReply, 'draining');
    await this.registration.deregister();
    this.logger.info({ moved: clients - left, closed: left, ms: Date.now() - started }, 'drained');
  }

  /**
   * Sends op 20 to every client, in slices spread over `spreadMs`: each move is a reconnect, an
   * auth at logic and a resume, and a whole comet's clients at once is a herd that can push
   * those past their deadlines on the comets and logic that take them.
   */
  private async askToMove(move: Outbound, spreadMs: number): Promise<void> {
    const channels = [...this.buckets.all()];
    const slices = Math.max(1, Math.ceil(spreadMs / DRAIN_SLICE_MS));
    const perSlice = Math.ceil(channels.length / slices);
    for (let i = 0; i < channels.length; i += perSlice) {
      if (i > 0) await new Promise((r) => setTimeout(r, DRAIN_SLICE_MS));
      // A client that left meanwhile is gone from the buckets; delivering to it is a no-op.
      for (const ch of channels.slice(i, i + perSlice)) ch.deliver(move);
    }
  }
}

const DRAIN_SLICE_MS = 50;

/** How long asking `clients` to move takes at `rate` per second, at most half the drain time (the rest is for them to go). */
function drainSpreadMs(clients: number, rate: number, drainTimeoutMs: number): number {
  return Math.min(Math.floor(drainTimeoutMs / 2), Math.floor((clients / rate) * 1000));
}
