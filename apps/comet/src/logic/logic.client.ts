import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { callUnary, clusterClient, GRPC_CLIENT_OPTIONS } from '@imgate/common';
import { loadLogicProto, type logic, type LogicClient as GrpcLogicClient } from '@imgate/contracts';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';

// The reliable-delivery messages, read off the generated client (the last overload is (req, callback)).
type Method = 'Sync' | 'Ack';
type RequestOf<M extends Method> = Parameters<GrpcLogicClient[M]>[0];
type ReplyOf<M extends Method> = NonNullable<Parameters<Parameters<GrpcLogicClient[M]>[1]>[1]>;
export type SyncReq = Omit<RequestOf<'Sync'>, 'server'>;
export type SyncReply = ReplyOf<'Sync'>;
export type AckEntry = NonNullable<RequestOf<'Ack'>['acks']>[number];
export type AckReply = ReplyOf<'Ack'>;

/** Comet's calls to logic over gRPC, each with a deadline. */
@Injectable()
export class LogicClient implements OnApplicationShutdown {
  private readonly client: GrpcLogicClient;
  private readonly timeout: number;
  private readonly server: string;

  constructor(@Inject(COMET_CONFIG) config: CometConfig) {
    const Logic = loadLogicProto().imgate.logic.Logic;
    // This comet's certificate (mTLS) or CLUSTER_SECRET proof names it to logic; the `server` fields must match.
    const { credentials, options } = clusterClient(config.cluster, { role: 'comet', id: config.id });
    this.client = new Logic(config.logicTarget, credentials, {
      ...GRPC_CLIENT_OPTIONS,
      ...options,
      // Several logic instances behind one DNS name share the load.
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    });
    this.timeout = config.logicTimeoutMs;
    this.server = config.id;
  }

  connect(token: Uint8Array, client: { clientIp: string; clientPort: number; transport: string }): Promise<logic.ConnectReply__Output> {
    return callUnary(this.client.Connect, this.client, { server: this.server, token, ...client }, this.timeout);
  }

  /** Rooms and accepted operations of connections that changed them. */
  updateSessions(sessions: logic.SessionUpdate[]): Promise<logic.UpdateSessionsReply__Output> {
    return callUnary(this.client.UpdateSessions, this.client, { server: this.server, sessions }, this.timeout);
  }

  disconnect(mid: number, key: string): Promise<logic.DisconnectReply__Output> {
    return callUnary(this.client.Disconnect, this.client, { server: this.server, mid, key }, this.timeout);
  }

  renewSessions(sessions: Array<{ mid: number; key: string }>): Promise<logic.RenewSessionsReply__Output> {
    return callUnary(this.client.RenewSessions, this.client, { server: this.server, sessions }, this.timeout);
  }

  receive(req: Omit<logic.ReceiveReq, 'server'>): Promise<logic.ReceiveReply__Output> {
    return callUnary(this.client.Receive, this.client, { ...req, server: this.server }, this.timeout);
  }

  /** Op 28: the messages of a client's streams after its positions, and each stream's status. */
  sync(req: SyncReq): Promise<SyncReply> {
    return callUnary(this.client.Sync, this.client, { ...req, server: this.server }, this.timeout);
  }

  /** Cumulative acks gathered from this comet's clients. */
  ack(acks: AckEntry[]): Promise<AckReply> {
    return callUnary(this.client.Ack, this.client, { server: this.server, acks }, this.timeout);
  }

  renewOnline(roomCount: Record<string, number>, connCount: number, ipCount: number): Promise<logic.RenewOnlineReply__Output> {
    return callUnary(this.client.RenewOnline, this.client, { server: this.server, roomCount, connCount, ipCount }, this.timeout);
  }

  /** Asks logic's join hook whether this connection may join `room` (ops 12/23, with a join hook only). */
  authorizeJoin(req: Omit<logic.AuthorizeJoinReq, 'server'>): Promise<logic.AuthorizeJoinReply__Output> {
    return callUnary(this.client.AuthorizeJoin, this.client, { ...req, server: this.server }, this.timeout);
  }

  joinRooms(rooms: string[]): Promise<logic.JoinRoomsReply__Output> {
    return callUnary(this.client.JoinRooms, this.client, { server: this.server, rooms }, this.timeout);
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
