import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, identifyPeer, matchesSecret, type PeerCall, PeerRefused, requireSameComet, RpcError } from '@imgate/common';
import type { LogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { LOGIC_CONFIG } from '../logic.tokens';
import { bearer, isLoopbackAddress, type RefusalReason } from './api-gate';

const SERVER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

type Call = PeerCall & { getPeer(): string };

/** `127.0.0.1:5000`, `[::1]:5000`, `ipv4:…` → the address part. */
function peerAddress(peer: string): string {
  return peer.replace(/^ipv[46]:/, '').replace(/^\[?(.*?)\]?:\d+$/, '$1');
}

/** Who may call which of logic's gRPC methods: business callers by API key, comets by proof of membership. */
@Injectable()
export class GrpcCallers {
  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: LogicMetrics,
  ) {}

  private refuse(reason: RefusalReason, message: string): never {
    this.metrics.apiRefused.inc({ transport: 'grpc', reason });
    throw RpcError.unauthenticated(message);
  }

  /** Push and read methods: `authorization: Bearer <key>` metadata, as the HTTP API. */
  api(call: Call): void {
    const { api } = this.config;
    if (api.mode === 'none') return;
    if (api.mode === 'loopback') {
      if (isLoopbackAddress(peerAddress(call.getPeer()))) return;
      this.refuse('not_loopback', 'logic runs without API keys and takes calls from this host only');
    }
    const raw = call.metadata.get('authorization')[0];
    if (typeof raw !== 'string') this.refuse('missing_key', 'an API key is required: metadata authorization: Bearer <key> (one of LOGIC_API_KEYS)');
    const key = bearer(raw);
    if (key === undefined || !matchesSecret(api.keys, key)) this.refuse('bad_key', 'the API key is not one of LOGIC_API_KEYS');
  }

  /**
   * Comet-only methods (Connect, Disconnect, Heartbeat, Renew*, UpdateSessions, JoinRooms, Receive, Sync, Ack): the
   * caller proves it is a comet (certificate or CLUSTER_SECRET) and acts only as the comet it proved.
   */
  comet(call: Call, server: string): string {
    if (!SERVER_ID.test(server)) throw RpcError.invalid('server must be a comet id of 1-128 of [A-Za-z0-9_.:-]');
    try {
      requireSameComet(identifyPeer(this.config.cluster, call, ['comet'], this.clock.now() / 1000), server);
    } catch (err) {
      if (err instanceof PeerRefused) this.metrics.peerRefused.inc({ reason: err.reason });
      throw err;
    }
    return server;
  }
}
