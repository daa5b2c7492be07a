// Original file: proto/logic.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AckReply as _imgate_logic_AckReply, AckReply__Output as _imgate_logic_AckReply__Output } from '../../imgate/logic/AckReply';
import type { AckReq as _imgate_logic_AckReq, AckReq__Output as _imgate_logic_AckReq__Output } from '../../imgate/logic/AckReq';
import type { AuthorizeJoinReply as _imgate_logic_AuthorizeJoinReply, AuthorizeJoinReply__Output as _imgate_logic_AuthorizeJoinReply__Output } from '../../imgate/logic/AuthorizeJoinReply';
import type { AuthorizeJoinReq as _imgate_logic_AuthorizeJoinReq, AuthorizeJoinReq__Output as _imgate_logic_AuthorizeJoinReq__Output } from '../../imgate/logic/AuthorizeJoinReq';
import type { ConnectReply as _imgate_logic_ConnectReply, ConnectReply__Output as _imgate_logic_ConnectReply__Output } from '../../imgate/logic/ConnectReply';
import type { ConnectReq as _imgate_logic_ConnectReq, ConnectReq__Output as _imgate_logic_ConnectReq__Output } from '../../imgate/logic/ConnectReq';
import type { ConnectionsReply as _imgate_logic_ConnectionsReply, ConnectionsReply__Output as _imgate_logic_ConnectionsReply__Output } from '../../imgate/logic/ConnectionsReply';
import type { ConnectionsReq as _imgate_logic_ConnectionsReq, ConnectionsReq__Output as _imgate_logic_ConnectionsReq__Output } from '../../imgate/logic/ConnectionsReq';
import type { DeliveryReply as _imgate_logic_DeliveryReply, DeliveryReply__Output as _imgate_logic_DeliveryReply__Output } from '../../imgate/logic/DeliveryReply';
import type { DeliveryReq as _imgate_logic_DeliveryReq, DeliveryReq__Output as _imgate_logic_DeliveryReq__Output } from '../../imgate/logic/DeliveryReq';
import type { DisconnectReply as _imgate_logic_DisconnectReply, DisconnectReply__Output as _imgate_logic_DisconnectReply__Output } from '../../imgate/logic/DisconnectReply';
import type { DisconnectReq as _imgate_logic_DisconnectReq, DisconnectReq__Output as _imgate_logic_DisconnectReq__Output } from '../../imgate/logic/DisconnectReq';
import type { HeartbeatReply as _imgate_logic_HeartbeatReply, HeartbeatReply__Output as _imgate_logic_HeartbeatReply__Output } from '../../imgate/logic/HeartbeatReply';
import type { HeartbeatReq as _imgate_logic_HeartbeatReq, HeartbeatReq__Output as _imgate_logic_HeartbeatReq__Output } from '../../imgate/logic/HeartbeatReq';
import type { JoinRoomsReply as _imgate_logic_JoinRoomsReply, JoinRoomsReply__Output as _imgate_logic_JoinRoomsReply__Output } from '../../imgate/logic/JoinRoomsReply';
import type { JoinRoomsReq as _imgate_logic_JoinRoomsReq, JoinRoomsReq__Output as _imgate_logic_JoinRoomsReq__Output } from '../../imgate/logic/JoinRoomsReq';
import type { KickReply as _imgate_logic_KickReply, KickReply__Output as _imgate_logic_KickReply__Output } from '../../imgate/logic/KickReply';
import type { KickReq as _imgate_logic_KickReq, KickReq__Output as _imgate_logic_KickReq__Output } from '../../imgate/logic/KickReq';
import type { NodesReply as _imgate_logic_NodesReply, NodesReply__Output as _imgate_logic_NodesReply__Output } from '../../imgate/logic/NodesReply';
import type { NodesReq as _imgate_logic_NodesReq, NodesReq__Output as _imgate_logic_NodesReq__Output } from '../../imgate/logic/NodesReq';
import type { PushAllReq as _imgate_logic_PushAllReq, PushAllReq__Output as _imgate_logic_PushAllReq__Output } from '../../imgate/logic/PushAllReq';
import type { PushKeysReq as _imgate_logic_PushKeysReq, PushKeysReq__Output as _imgate_logic_PushKeysReq__Output } from '../../imgate/logic/PushKeysReq';
import type { PushMidsReq as _imgate_logic_PushMidsReq, PushMidsReq__Output as _imgate_logic_PushMidsReq__Output } from '../../imgate/logic/PushMidsReq';
import type { PushReply as _imgate_logic_PushReply, PushReply__Output as _imgate_logic_PushReply__Output } from '../../imgate/logic/PushReply';
import type { PushRoomReq as _imgate_logic_PushRoomReq, PushRoomReq__Output as _imgate_logic_PushRoomReq__Output } from '../../imgate/logic/PushRoomReq';
import type { ReceiveReply as _imgate_logic_ReceiveReply, ReceiveReply__Output as _imgate_logic_ReceiveReply__Output } from '../../imgate/logic/ReceiveReply';
import type { ReceiveReq as _imgate_logic_ReceiveReq, ReceiveReq__Output as _imgate_logic_ReceiveReq__Output } from '../../imgate/logic/ReceiveReq';
import type { RenewOnlineReply as _imgate_logic_RenewOnlineReply, RenewOnlineReply__Output as _imgate_logic_RenewOnlineReply__Output } from '../../imgate/logic/RenewOnlineReply';
import type { RenewOnlineReq as _imgate_logic_RenewOnlineReq, RenewOnlineReq__Output as _imgate_logic_RenewOnlineReq__Output } from '../../imgate/logic/RenewOnlineReq';
import type { RenewSessionsReply as _imgate_logic_RenewSessionsReply, RenewSessionsReply__Output as _imgate_logic_RenewSessionsReply__Output } from '../../imgate/logic/RenewSessionsReply';
import type { RenewSessionsReq as _imgate_logic_RenewSessionsReq, RenewSessionsReq__Output as _imgate_logic_RenewSessionsReq__Output } from '../../imgate/logic/RenewSessionsReq';
import type { RevokeReply as _imgate_logic_RevokeReply, RevokeReply__Output as _imgate_logic_RevokeReply__Output } from '../../imgate/logic/RevokeReply';
import type { RevokeReq as _imgate_logic_RevokeReq, RevokeReq__Output as _imgate_logic_RevokeReq__Output } from '../../imgate/logic/RevokeReq';
import type { SyncReply as _imgate_logic_SyncReply, SyncReply__Output as _imgate_logic_SyncReply__Output } from '../../imgate/logic/SyncReply';
import type { SyncReq as _imgate_logic_SyncReq, SyncReq__Output as _imgate_logic_SyncReq__Output } from '../../imgate/logic/SyncReq';
import type { UpdateSessionsReply as _imgate_logic_UpdateSessionsReply, UpdateSessionsReply__Output as _imgate_logic_UpdateSessionsReply__Output } from '../../imgate/logic/UpdateSessionsReply';
import type { UpdateSessionsReq as _imgate_logic_UpdateSessionsReq, UpdateSessionsReq__Output as _imgate_logic_UpdateSessionsReq__Output } from '../../imgate/logic/UpdateSessionsReq';

export interface LogicClient extends grpc.Client {
  Ack(argument: _imgate_logic_AckReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  Ack(argument: _imgate_logic_AckReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  Ack(argument: _imgate_logic_AckReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  Ack(argument: _imgate_logic_AckReq, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  ack(argument: _imgate_logic_AckReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  ack(argument: _imgate_logic_AckReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  ack(argument: _imgate_logic_AckReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  ack(argument: _imgate_logic_AckReq, callback: grpc.requestCallback<_imgate_logic_AckReply__Output>): grpc.ClientUnaryCall;
  
  AuthorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  AuthorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  AuthorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  AuthorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  authorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  authorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  authorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  authorizeJoin(argument: _imgate_logic_AuthorizeJoinReq, callback: grpc.requestCallback<_imgate_logic_AuthorizeJoinReply__Output>): grpc.ClientUnaryCall;
  
  Connect(argument: _imgate_logic_ConnectReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  Connect(argument: _imgate_logic_ConnectReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  Connect(argument: _imgate_logic_ConnectReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  Connect(argument: _imgate_logic_ConnectReq, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imgate_logic_ConnectReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imgate_logic_ConnectReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imgate_logic_ConnectReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imgate_logic_ConnectReq, callback: grpc.requestCallback<_imgate_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  
  Connections(argument: _imgate_logic_ConnectionsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  Connections(argument: _imgate_logic_ConnectionsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  Connections(argument: _imgate_logic_ConnectionsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  Connections(argument: _imgate_logic_ConnectionsReq, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  connections(argument: _imgate_logic_ConnectionsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  connections(argument: _imgate_logic_ConnectionsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  connections(argument: _imgate_logic_ConnectionsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  connections(argument: _imgate_logic_ConnectionsReq, callback: grpc.requestCallback<_imgate_logic_ConnectionsReply__Output>): grpc.ClientUnaryCall;
  
  Delivery(argument: _imgate_logic_DeliveryReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  Delivery(argument: _imgate_logic_DeliveryReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  Delivery(argument: _imgate_logic_DeliveryReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  Delivery(argument: _imgate_logic_DeliveryReq, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  delivery(argument: _imgate_logic_DeliveryReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  delivery(argument: _imgate_logic_DeliveryReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  delivery(argument: _imgate_logic_DeliveryReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  delivery(argument: _imgate_logic_DeliveryReq, callback: grpc.requestCallback<_imgate_logic_DeliveryReply__Output>): grpc.ClientUnaryCall;
  
  Disconnect(argument: _imgate_logic_DisconnectReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  Disconnect(argument: _imgate_logic_DisconnectReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  Disconnect(argument: _imgate_logic_DisconnectReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  Disconnect(argument: _imgate_logic_DisconnectReq, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  disconnect(argument: _imgate_logic_DisconnectReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  disconnect(argument: _imgate_logic_DisconnectReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  disconnect(argument: _imgate_logic_DisconnectReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  disconnect(argument: _imgate_logic_DisconnectReq, callback: grpc.requestCallback<_imgate_logic_DisconnectReply__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _imgate_logic_HeartbeatReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _imgate_logic_HeartbeatReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _imgate_logic_HeartbeatReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _imgate_logic_HeartbeatReq, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imgate_logic_HeartbeatReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imgate_logic_HeartbeatReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imgate_logic_HeartbeatReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imgate_logic_HeartbeatReq, callback: grpc.requestCallback<_imgate_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  
  JoinRooms(argument: _imgate_logic_JoinRoomsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  JoinRooms(argument: _imgate_logic_JoinRoomsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  JoinRooms(argument: _imgate_logic_JoinRoomsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  JoinRooms(argument: _imgate_logic_JoinRoomsReq, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  joinRooms(argument: _imgate_logic_JoinRoomsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  joinRooms(argument: _imgate_logic_JoinRoomsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  joinRooms(argument: _imgate_logic_JoinRoomsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  joinRooms(argument: _imgate_logic_JoinRoomsReq, callback: grpc.requestCallback<_imgate_logic_JoinRoomsReply__Output>): grpc.ClientUnaryCall;
  
  Kick(argument: _imgate_logic_KickReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imgate_logic_KickReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imgate_logic_KickReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imgate_logic_KickReq, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_logic_KickReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_logic_KickReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_logic_KickReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_logic_KickReq, callback: grpc.requestCallback<_imgate_logic_KickReply__Output>): grpc.ClientUnaryCall;
  
  Nodes(argument: _imgate_logic_NodesReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  Nodes(argument: _imgate_logic_NodesReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  Nodes(argument: _imgate_logic_NodesReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  Nodes(argument: _imgate_logic_NodesReq, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _imgate_logic_NodesReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _imgate_logic_NodesReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _imgate_logic_NodesReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  nodes(argument: _imgate_logic_NodesReq, callback: grpc.requestCallback<_imgate_logic_NodesReply__Output>): grpc.ClientUnaryCall;
  
  PushAll(argument: _imgate_logic_PushAllReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushAll(argument: _imgate_logic_PushAllReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushAll(argument: _imgate_logic_PushAllReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushAll(argument: _imgate_logic_PushAllReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushAll(argument: _imgate_logic_PushAllReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushAll(argument: _imgate_logic_PushAllReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushAll(argument: _imgate_logic_PushAllReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushAll(argument: _imgate_logic_PushAllReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  
  PushKeys(argument: _imgate_logic_PushKeysReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imgate_logic_PushKeysReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imgate_logic_PushKeysReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imgate_logic_PushKeysReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_logic_PushKeysReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_logic_PushKeysReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_logic_PushKeysReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_logic_PushKeysReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  
  PushMids(argument: _imgate_logic_PushMidsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushMids(argument: _imgate_logic_PushMidsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushMids(argument: _imgate_logic_PushMidsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushMids(argument: _imgate_logic_PushMidsReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushMids(argument: _imgate_logic_PushMidsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushMids(argument: _imgate_logic_PushMidsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushMids(argument: _imgate_logic_PushMidsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushMids(argument: _imgate_logic_PushMidsReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  
  PushRoom(argument: _imgate_logic_PushRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushRoom(argument: _imgate_logic_PushRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushRoom(argument: _imgate_logic_PushRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  PushRoom(argument: _imgate_logic_PushRoomReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushRoom(argument: _imgate_logic_PushRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushRoom(argument: _imgate_logic_PushRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushRoom(argument: _imgate_logic_PushRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  pushRoom(argument: _imgate_logic_PushRoomReq, callback: grpc.requestCallback<_imgate_logic_PushReply__Output>): grpc.ClientUnaryCall;
  
  Receive(argument: _imgate_logic_ReceiveReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  Receive(argument: _imgate_logic_ReceiveReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  Receive(argument: _imgate_logic_ReceiveReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  Receive(argument: _imgate_logic_ReceiveReq, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _imgate_logic_ReceiveReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _imgate_logic_ReceiveReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _imgate_logic_ReceiveReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  receive(argument: _imgate_logic_ReceiveReq, callback: grpc.requestCallback<_imgate_logic_ReceiveReply__Output>): grpc.ClientUnaryCall;
  
  RenewOnline(argument: _imgate_logic_RenewOnlineReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  RenewOnline(argument: _imgate_logic_RenewOnlineReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  RenewOnline(argument: _imgate_logic_RenewOnlineReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  RenewOnline(argument: _imgate_logic_RenewOnlineReq, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imgate_logic_RenewOnlineReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imgate_logic_RenewOnlineReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imgate_logic_RenewOnlineReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imgate_logic_RenewOnlineReq, callback: grpc.requestCallback<_imgate_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  
  RenewSessions(argument: _imgate_logic_RenewSessionsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  RenewSessions(argument: _imgate_logic_RenewSessionsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  RenewSessions(argument: _imgate_logic_RenewSessionsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  RenewSessions(argument: _imgate_logic_RenewSessionsReq, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  renewSessions(argument: _imgate_logic_RenewSessionsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  renewSessions(argument: _imgate_logic_RenewSessionsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  renewSessions(argument: _imgate_logic_RenewSessionsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  renewSessions(argument: _imgate_logic_RenewSessionsReq, callback: grpc.requestCallback<_imgate_logic_RenewSessionsReply__Output>): grpc.ClientUnaryCall;
  
  Revoke(argument: _imgate_logic_RevokeReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  Revoke(argument: _imgate_logic_RevokeReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  Revoke(argument: _imgate_logic_RevokeReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  Revoke(argument: _imgate_logic_RevokeReq, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  revoke(argument: _imgate_logic_RevokeReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  revoke(argument: _imgate_logic_RevokeReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  revoke(argument: _imgate_logic_RevokeReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  revoke(argument: _imgate_logic_RevokeReq, callback: grpc.requestCallback<_imgate_logic_RevokeReply__Output>): grpc.ClientUnaryCall;
  
  Sync(argument: _imgate_logic_SyncReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  Sync(argument: _imgate_logic_SyncReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  Sync(argument: _imgate_logic_SyncReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  Sync(argument: _imgate_logic_SyncReq, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  sync(argument: _imgate_logic_SyncReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  sync(argument: _imgate_logic_SyncReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  sync(argument: _imgate_logic_SyncReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  sync(argument: _imgate_logic_SyncReq, callback: grpc.requestCallback<_imgate_logic_SyncReply__Output>): grpc.ClientUnaryCall;
  
  UpdateSessions(argument: _imgate_logic_UpdateSessionsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  UpdateSessions(argument: _imgate_logic_UpdateSessionsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  UpdateSessions(argument: _imgate_logic_UpdateSessionsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  UpdateSessions(argument: _imgate_logic_UpdateSessionsReq, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  updateSessions(argument: _imgate_logic_UpdateSessionsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  updateSessions(argument: _imgate_logic_UpdateSessionsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  updateSessions(argument: _imgate_logic_UpdateSessionsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  updateSessions(argument: _imgate_logic_UpdateSessionsReq, callback: grpc.requestCallback<_imgate_logic_UpdateSessionsReply__Output>): grpc.ClientUnaryCall;
  
}

export interface LogicHandlers extends grpc.UntypedServiceImplementation {
  Ack: grpc.handleUnaryCall<_imgate_logic_AckReq__Output, _imgate_logic_AckReply>;
  
  AuthorizeJoin: grpc.handleUnaryCall<_imgate_logic_AuthorizeJoinReq__Output, _imgate_logic_AuthorizeJoinReply>;
  
  Connect: grpc.handleUnaryCall<_imgate_logic_ConnectReq__Output, _imgate_logic_ConnectReply>;
  
  Connections: grpc.handleUnaryCall<_imgate_logic_ConnectionsReq__Output, _imgate_logic_ConnectionsReply>;
  
  Delivery: grpc.handleUnaryCall<_imgate_logic_DeliveryReq__Output, _imgate_logic_DeliveryReply>;
  
  Disconnect: grpc.handleUnaryCall<_imgate_logic_DisconnectReq__Output, _imgate_logic_DisconnectReply>;
  
  Heartbeat: grpc.handleUnaryCall<_imgate_logic_HeartbeatReq__Output, _imgate_logic_HeartbeatReply>;
  
  JoinRooms: grpc.handleUnaryCall<_imgate_logic_JoinRoomsReq__Output, _imgate_logic_JoinRoomsReply>;
  
  Kick: grpc.handleUnaryCall<_imgate_logic_KickReq__Output, _imgate_logic_KickReply>;
  
  Nodes: grpc.handleUnaryCall<_imgate_logic_NodesReq__Output, _imgate_logic_NodesReply>;
  
  PushAll: grpc.handleUnaryCall<_imgate_logic_PushAllReq__Output, _imgate_logic_PushReply>;
  
  PushKeys: grpc.handleUnaryCall<_imgate_logic_PushKeysReq__Output, _imgate_logic_PushReply>;
  
  PushMids: grpc.handleUnaryCall<_imgate_logic_PushMidsReq__Output, _imgate_logic_PushReply>;
  
  PushRoom: grpc.handleUnaryCall<_imgate_logic_PushRoomReq__Output, _imgate_logic_PushReply>;
  
  Receive: grpc.handleUnaryCall<_imgate_logic_ReceiveReq__Output, _imgate_logic_ReceiveReply>;
  
  RenewOnline: grpc.handleUnaryCall<_imgate_logic_RenewOnlineReq__Output, _imgate_logic_RenewOnlineReply>;
  
  RenewSessions: grpc.handleUnaryCall<_imgate_logic_RenewSessionsReq__Output, _imgate_logic_RenewSessionsReply>;
  
  Revoke: grpc.handleUnaryCall<_imgate_logic_RevokeReq__Output, _imgate_logic_RevokeReply>;
  
  Sync: grpc.handleUnaryCall<_imgate_logic_SyncReq__Output, _imgate_logic_SyncReply>;
  
  UpdateSessions: grpc.handleUnaryCall<_imgate_logic_UpdateSessionsReq__Output, _imgate_logic_UpdateSessionsReply>;
  
}

export interface LogicDefinition extends grpc.ServiceDefinition {
  Ack: MethodDefinition<_imgate_logic_AckReq, _imgate_logic_AckReply, _imgate_logic_AckReq__Output, _imgate_logic_AckReply__Output>
  AuthorizeJoin: MethodDefinition<_imgate_logic_AuthorizeJoinReq, _imgate_logic_AuthorizeJoinReply, _imgate_logic_AuthorizeJoinReq__Output, _imgate_logic_AuthorizeJoinReply__Output>
  Connect: MethodDefinition<_imgate_logic_ConnectReq, _imgate_logic_ConnectReply, _imgate_logic_ConnectReq__Output, _imgate_logic_ConnectReply__Output>
  Connections: MethodDefinition<_imgate_logic_ConnectionsReq, _imgate_logic_ConnectionsReply, _imgate_logic_ConnectionsReq__Output, _imgate_logic_ConnectionsReply__Output>
  Delivery: MethodDefinition<_imgate_logic_DeliveryReq, _imgate_logic_DeliveryReply, _imgate_logic_DeliveryReq__Output, _imgate_logic_DeliveryReply__Output>
  Disconnect: MethodDefinition<_imgate_logic_DisconnectReq, _imgate_logic_DisconnectReply, _imgate_logic_DisconnectReq__Output, _imgate_logic_DisconnectReply__Output>
  Heartbeat: MethodDefinition<_imgate_logic_HeartbeatReq, _imgate_logic_HeartbeatReply, _imgate_logic_HeartbeatReq__Output, _imgate_logic_HeartbeatReply__Output>
  JoinRooms: MethodDefinition<_imgate_logic_JoinRoomsReq, _imgate_logic_JoinRoomsReply, _imgate_logic_JoinRoomsReq__Output, _imgate_logic_JoinRoomsReply__Output>
  Kick: MethodDefinition<_imgate_logic_KickReq, _imgate_logic_KickReply, _imgate_logic_KickReq__Output, _imgate_logic_KickReply__Output>
  Nodes: MethodDefinition<_imgate_logic_NodesReq, _imgate_logic_NodesReply, _imgate_logic_NodesReq__Output, _imgate_logic_NodesReply__Output>
  PushAll: MethodDefinition<_imgate_logic_PushAllReq, _imgate_logic_PushReply, _imgate_logic_PushAllReq__Output, _imgate_logic_PushReply__Output>
  PushKeys: MethodDefinition<_imgate_logic_PushKeysReq, _imgate_logic_PushReply, _imgate_logic_PushKeysReq__Output, _imgate_logic_PushReply__Output>
  PushMids: MethodDefinition<_imgate_logic_PushMidsReq, _imgate_logic_PushReply, _imgate_logic_PushMidsReq__Output, _imgate_logic_PushReply__Output>
  PushRoom: MethodDefinition<_imgate_logic_PushRoomReq, _imgate_logic_PushReply, _imgate_logic_PushRoomReq__Output, _imgate_logic_PushReply__Output>
  Receive: MethodDefinition<_imgate_logic_ReceiveReq, _imgate_logic_ReceiveReply, _imgate_logic_ReceiveReq__Output, _imgate_logic_ReceiveReply__Output>
  RenewOnline: MethodDefinition<_imgate_logic_RenewOnlineReq, _imgate_logic_RenewOnlineReply, _imgate_logic_RenewOnlineReq__Output, _imgate_logic_RenewOnlineReply__Output>
  RenewSessions: MethodDefinition<_imgate_logic_RenewSessionsReq, _imgate_logic_RenewSessionsReply, _imgate_logic_RenewSessionsReq__Output, _imgate_logic_RenewSessionsReply__Output>
  Revoke: MethodDefinition<_imgate_logic_RevokeReq, _imgate_logic_RevokeReply, _imgate_logic_RevokeReq__Output, _imgate_logic_RevokeReply__Output>
  Sync: MethodDefinition<_imgate_logic_SyncReq, _imgate_logic_SyncReply, _imgate_logic_SyncReq__Output, _imgate_logic_SyncReply__Output>
  UpdateSessions: MethodDefinition<_imgate_logic_UpdateSessionsReq, _imgate_logic_UpdateSessionsReply, _imgate_logic_UpdateSessionsReq__Output, _imgate_logic_UpdateSessionsReply__Output>
}
