import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { credentials } from '@grpc/grpc-js';
import { callUnary, GRPC_CLIENT_OPTIONS, LOGGER, type Logger } from '@imgate/common';
import { type comet, type CometClient, loadCometProto } from '@imgate/contracts';
import { COMET_REGISTRY, type CometRegistry } from '@imgate/store';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG } from '../logic.tokens';

/** Connections to close on one comet. */
export interface KickTarget {
  keys: string[];
  mids: number[];
}

/** Logic's calls to comets: Kick, on each comet the registry lists (clients made on first use). */
@Injectable()
export class CometKicker implements OnApplicationShutdown {
  private readonly clients = new Map<string, { address: string; client: CometClient }>();

  constructor(
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Closes the targets on their comets, telling each client `kind` and `reason` (op 21). A comet
   * that is gone or fails is logged and skipped: its connections are gone or will expire.
   */
  async kick(targets: ReadonlyMap<string, KickTarget>, kind: string, reason: string): Promise<number> {
    if (targets.size === 0) return 0;
    const nodes = new Map((await this.registry.list()).map((n) => [n.id, n.grpc]));
    const closed = await Promise.all(
      [...targets].map(async ([server, t]) => {
        const address = nodes.get(server);
        if (!address) return 0;
        try {
          const client = this.client(server, address);
          const req: comet.KickReq = { keys: t.keys, mids: t.mids, kind, reason };
          const reply = await callUnary<comet.KickReq, comet.KickReply__Output>(client.Kick, client, req, this.config.access.cometTimeoutMs);
          return reply.closed;
        } catch (err) {
          this.logger.warn({ comet: server, err: (err as Error).message }, 'kick not delivered to comet');
          return 0;
        }
      }),
    );
    return closed.reduce((a, b) => a + b, 0);
  }

  private client(id: string, address: string): CometClient {
    const known = this.clients.get(id);
    if (known?.address === address) return known.client;
    known?.client.close();
    const Comet = loadCometProto().imgate.comet.Comet;
    const client = new Comet(address, credentials.createInsecure(), GRPC_CLIENT_OPTIONS);
    this.clients.set(id, { address, client });
    return client;
  }

  onApplicationShutdown(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** Adds a target to the per-comet map. */
export function addTarget(targets: Map<string, KickTarget>, server: string, t: Partial<KickTarget>): void {
  const cur = targets.get(server) ?? { keys: [], mids: [] };
  cur.keys.push(...(t.keys ?? []));
  cur.mids.push(...(t.mids ?? []));
  targets.set(server, cur);
}
