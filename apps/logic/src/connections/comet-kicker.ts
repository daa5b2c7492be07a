import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { callUnary, clusterClient, GRPC_CLIENT_OPTIONS, LOGGER, type Logger } from '@imgate/common';
import { type comet, type CometClient, loadCometProto } from '@imgate/contracts';
import { COMET_REGISTRY, type CometRegistry } from '@imgate/store';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG } from '../logic.tokens';

const KICK_TIMEOUT_MS = 3_000;

/** Connections to close on one comet. */
export interface KickTarget {
  keys: string[];
  mids: number[];
}

/** Adds a target to a per-comet map. */
export function addTarget(targets: Map<string, KickTarget>, server: string, t: Partial<KickTarget>): void {
  const cur = targets.get(server) ?? { keys: [], mids: [] };
  cur.keys.push(...(t.keys ?? []));
  cur.mids.push(...(t.mids ?? []));
  targets.set(server, cur);
}

/**
 * Closes a connection on the comet that holds it (comet gRPC `Kick`, op 21 with a code), found in
 * the registry. Used when a session resumes on another comet while its old connection is still
 * open there (half-open): the old one must not linger holding the key.
 */
@Injectable()
export class CometKicker implements OnApplicationShutdown {
  private readonly clients = new Map<string, { address: string; client: CometClient }>();

  constructor(
    @Inject(COMET_REGISTRY) private readonly registry: CometRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(LOGIC_CONFIG) private readonly config: Pick<LogicConfig, 'cluster'>,
  ) {}

  private async client(server: string): Promise<CometClient | undefined> {
    const node = (await this.registry.list()).find((n) => n.id === server);
    if (!node) return undefined;
    const known = this.clients.get(server);
    if (known?.address === node.grpc) return known.client;
    known?.client.close();
    // logic's certificate (mTLS) or CLUSTER_SECRET proof: comets take Kick from job and logic only.
    const { credentials, options } = clusterClient(this.config.cluster, { role: 'logic', id: '' });
    const client = new (loadCometProto().imgate.comet.Comet)(node.grpc, credentials, { ...GRPC_CLIENT_OPTIONS, ...options });
    this.clients.set(server, { address: node.grpc, client });
    return client;
  }

  /** Best effort: a comet that is gone has closed the connection anyway. */
  async kick(server: string, key: string, codeName: string, reason: string): Promise<number> {
    try {
      const client = await this.client(server);
      if (!client) return 0;
      const reply = await callUnary<comet.KickReq, comet.KickReply__Output>(client.Kick, client, { keys: [key], code: 0, codeName, reason }, KICK_TIMEOUT_MS);
      return reply.closed;
    } catch (err) {
      this.logger.warn({ server, key, err: (err as Error).message }, 'kick on the old comet failed');
      return 0;
    }
  }

  /**
   * Closes connections on several comets at once (access control: admin kicks, multi-login,
   * revocation), each client told `codeName` and `reason`; returns how many the comets closed.
   */
  async kickMany(targets: ReadonlyMap<string, KickTarget>, codeName: string, reason: string): Promise<number> {
    const closed = await Promise.all(
      [...targets].map(async ([server, t]) => {
        try {
          const client = await this.client(server);
          if (!client) return 0;
          const req: comet.KickReq = { keys: t.keys, mids: t.mids, code: 0, codeName, reason };
          return (await callUnary<comet.KickReq, comet.KickReply__Output>(client.Kick, client, req, KICK_TIMEOUT_MS)).closed;
        } catch (err) {
          this.logger.warn({ server, err: (err as Error).message }, 'kick not delivered to comet');
          return 0;
        }
      }),
    );
    return closed.reduce((a, b) => a + b, 0);
  }

  onApplicationShutdown(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
