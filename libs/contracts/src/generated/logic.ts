import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AckEntry as _imgate_logic_AckEntry, AckEntry__Output as _imgate_logic_AckEntry__Output } from './imgate/logic/AckEntry';
import type { AckReply as _imgate_logic_AckReply, AckReply__Output as _imgate_logic_AckReply__Output } from './imgate/logic/AckReply';
import type { AckReq as _imgate_logic_AckReq, AckReq__Output as _imgate_logic_AckReq__Output } from './imgate/logic/AckReq';
import type { AuthorizeJoinReply as _imgate_logic_AuthorizeJoinReply, AuthorizeJoinReply__Output as _imgate_logic_AuthorizeJoinReply__Output } from './imgate/logic/AuthorizeJoinReply';
import type { AuthorizeJoinReq as _imgate_logic_AuthorizeJoinReq, AuthorizeJoinReq__Output as _imgate_logic_AuthorizeJoinReq__Output } from './imgate/logic/AuthorizeJoinReq';
import type { ConnectReply as _imgate_logic_ConnectReply, ConnectReply__Output as _imgate_logic_ConnectReply__Output } from './imgate/logic/ConnectReply';
import type { ConnectReq as _imgate_logic_ConnectReq, ConnectReq__Output as _imgate_logic_ConnectReq__Output } from './imgate/logic/ConnectReq';
import type { ConnectionInfo as _imgate_logic_ConnectionInfo, ConnectionInfo__Output as _imgate_logic_ConnectionInfo__Output } from './imgate/logic/ConnectionInfo';
import type { ConnectionsReply as _imgate_logic_ConnectionsReply, ConnectionsReply__Output as _imgate_logic_ConnectionsReply__Output } from './imgate/logic/ConnectionsReply';
import type { ConnectionsReq as _imgate_logic_ConnectionsReq, ConnectionsReq__Output as _imgate_logic_ConnectionsReq__Output } from './imgate/logic/ConnectionsReq';
import type { DeliveryReply as _imgate_logic_DeliveryReply, DeliveryReply__Output as _imgate_logic_DeliveryReply__Output } from './imgate/logic/DeliveryReply';
import type { DeliveryReq as _imgate_logic_DeliveryReq, DeliveryReq__Output as _imgate_logic_DeliveryReq__Output } from './imgate/logic/DeliveryReq';
import type { DeviceDelivery as _imgate_logic_DeviceDelivery, DeviceDelivery__Output as _imgate_logic_DeviceDelivery__Output } from './imgate/logic/DeviceDelivery';
import type { DisconnectReply as _imgate_logic_DisconnectReply, DisconnectReply__Output as _imgate_logic_DisconnectReply__Output } from './imgate/logic/DisconnectReply';
import type { DisconnectReq as _imgate_logic_DisconnectReq, DisconnectReq__Output as _imgate_logic_DisconnectReq__Output } from './imgate/logic/DisconnectReq';
import type { HeartbeatReply as _imgate_logic_HeartbeatReply, HeartbeatReply__Output as _imgate_logic_HeartbeatReply__Output } from './imgate/logic/HeartbeatReply';
import type { HeartbeatReq as _imgate_logic_HeartbeatReq, HeartbeatReq__Output as _imgate_logic_HeartbeatReq__Output } from './imgate/logic/HeartbeatReq';
import type { HeldPush as _imgate_logic_HeldPush, HeldPush__Output as _imgate_logic_HeldPush__Output } from './imgate/logic/HeldPush';
import type { JoinRoomsReply as _imgate_logic_JoinRoomsReply, JoinRoomsReply__Output as _imgate_logic_JoinRoomsReply__Output } from './imgate/logic/JoinRoomsReply';
import type { JoinRoomsReq as _imgate_logic_JoinRoomsReq, JoinRoomsReq__Output as _imgate_logic_JoinRoomsReq__Output } from './imgate/logic/JoinRoomsReq';
import type { KickReply as _imgate_logic_KickReply, KickReply__Output as _imgate_logic_KickReply__Output } from './imgate/logic/KickReply';
import type { KickReq as _imgate_logic_KickReq, KickReq__Output as _imgate_logic_KickReq__Output } from './imgate/logic/KickReq';
import type { LogicClient as _imgate_logic_LogicClient, LogicDefinition as _imgate_logic_LogicDefinition } from './imgate/logic/Logic';
import type { Node as _imgate_logic_Node, Node__Output as _imgate_logic_Node__Output } from './imgate/logic/Node';
import type { NodesReply as _imgate_logic_NodesReply, NodesReply__Output as _imgate_logic_NodesReply__Output } from './imgate/logic/NodesReply';
import type { NodesReq as _imgate_logic_NodesReq, NodesReq__Output as _imgate_logic_NodesReq__Output } from './imgate/logic/NodesReq';
import type { Permissions as _imgate_logic_Permissions, Permissions__Output as _imgate_logic_Permissions__Output } from './imgate/logic/Permissions';
import type { PushAllReq as _imgate_logic_PushAllReq, PushAllReq__Output as _imgate_logic_PushAllReq__Output } from './imgate/logic/PushAllReq';
import type { PushKeysReq as _imgate_logic_PushKeysReq, PushKeysReq__Output as _imgate_logic_PushKeysReq__Output } from './imgate/logic/PushKeysReq';
import type { PushMidsReq as _imgate_logic_PushMidsReq, PushMidsReq__Output as _imgate_logic_PushMidsReq__Output } from './imgate/logic/PushMidsReq';
import type { PushReply as _imgate_logic_PushReply, PushReply__Output as _imgate_logic_PushReply__Output } from './imgate/logic/PushReply';
import type { PushRoomReq as _imgate_logic_PushRoomReq, PushRoomReq__Output as _imgate_logic_PushRoomReq__Output } from './imgate/logic/PushRoomReq';
import type { ReceiveReply as _imgate_logic_ReceiveReply, ReceiveReply__Output as _imgate_logic_ReceiveReply__Output } from './imgate/logic/ReceiveReply';
import type { ReceiveReq as _imgate_logic_ReceiveReq, ReceiveReq__Output as _imgate_logic_ReceiveReq__Output } from './imgate/logic/ReceiveReq';
import type { RenewOnlineReply as _imgate_logic_RenewOnlineReply, RenewOnlineReply__Output as _imgate_logic_RenewOnlineReply__Output } from './imgate/logic/RenewOnlineReply';
import type { RenewOnlineReq as _imgate_logic_RenewOnlineReq, RenewOnlineReq__Output as _imgate_logic_RenewOnlineReq__Output } from './imgate/logic/RenewOnlineReq';
import type { RenewSessionsReply as _imgate_logic_RenewSessionsReply, RenewSessionsReply__Output as _imgate_logic_RenewSessionsReply__Output } from './imgate/logic/RenewSessionsReply';
import type { RenewSessionsReq as _imgate_logic_RenewSessionsReq, RenewSessionsReq__Output as _imgate_logic_RenewSessionsReq__Output } from './imgate/logic/RenewSessionsReq';
import type { RevokeReply as _imgate_logic_RevokeReply, RevokeReply__Output as _imgate_logic_RevokeReply__Output } from './imgate/logic/RevokeReply';
import type { RevokeReq as _imgate_logic_RevokeReq, RevokeReq__Output as _imgate_logic_RevokeReq__Output } from './imgate/logic/RevokeReq';
import type { SessionRef as _imgate_logic_SessionRef, SessionRef__Output as _imgate_logic_SessionRef__Output } from './imgate/logic/SessionRef';
import type { SessionUpdate as _imgate_logic_SessionUpdate, SessionUpdate__Output as _imgate_logic_SessionUpdate__Output } from './imgate/logic/SessionUpdate';
import type { StreamHead as _imgate_logic_StreamHead, StreamHead__Output as _imgate_logic_StreamHead__Output } from './imgate/logic/StreamHead';
import type { StreamMessage as _imgate_logic_StreamMessage, StreamMessage__Output as _imgate_logic_StreamMessage__Output } from './imgate/logic/StreamMessage';
import type { SyncReply as _imgate_logic_SyncReply, SyncReply__Output as _imgate_logic_SyncReply__Output } from './imgate/logic/SyncReply';
import type { SyncReq as _imgate_logic_SyncReq, SyncReq__Output as _imgate_logic_SyncReq__Output } from './imgate/logic/SyncReq';
import type { SyncResult as _imgate_logic_SyncResult, SyncResult__Output as _imgate_logic_SyncResult__Output } from './imgate/logic/SyncResult';
import type { SyncStream as _imgate_logic_SyncStream, SyncStream__Output as _imgate_logic_SyncStream__Output } from './imgate/logic/SyncStream';
import type { UpdateSessionsReply as _imgate_logic_UpdateSessionsReply, UpdateSessionsReply__Output as _imgate_logic_UpdateSessionsReply__Output } from './imgate/logic/UpdateSessionsReply';
import type { UpdateSessionsReq as _imgate_logic_UpdateSessionsReq, UpdateSessionsReq__Output as _imgate_logic_UpdateSessionsReq__Output } from './imgate/logic/UpdateSessionsReq';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  imgate: {
    logic: {
      AckEntry: MessageTypeDefinition<_imgate_logic_AckEntry, _imgate_logic_AckEntry__Output>
      AckReply: MessageTypeDefinition<_imgate_logic_AckReply, _imgate_logic_AckReply__Output>
      AckReq: MessageTypeDefinition<_imgate_logic_AckReq, _imgate_logic_AckReq__Output>
      AuthorizeJoinReply: MessageTypeDefinition<_imgate_logic_AuthorizeJoinReply, _imgate_logic_AuthorizeJoinReply__Output>
      AuthorizeJoinReq: MessageTypeDefinition<_imgate_logic_AuthorizeJoinReq, _imgate_logic_AuthorizeJoinReq__Output>
      ConnectReply: MessageTypeDefinition<_imgate_logic_ConnectReply, _imgate_logic_ConnectReply__Output>
      ConnectReq: MessageTypeDefinition<_imgate_logic_ConnectReq, _imgate_logic_ConnectReq__Output>
      ConnectionInfo: MessageTypeDefinition<_imgate_logic_ConnectionInfo, _imgate_logic_ConnectionInfo__Output>
      ConnectionsReply: MessageTypeDefinition<_imgate_logic_ConnectionsReply, _imgate_logic_ConnectionsReply__Output>
      ConnectionsReq: MessageTypeDefinition<_imgate_logic_ConnectionsReq, _imgate_logic_ConnectionsReq__Output>
      DeliveryReply: MessageTypeDefinition<_imgate_logic_DeliveryReply, _imgate_logic_DeliveryReply__Output>
      DeliveryReq: MessageTypeDefinition<_imgate_logic_DeliveryReq, _imgate_logic_DeliveryReq__Output>
      DeviceDelivery: MessageTypeDefinition<_imgate_logic_DeviceDelivery, _imgate_logic_DeviceDelivery__Output>
      DisconnectReply: MessageTypeDefinition<_imgate_logic_DisconnectReply, _imgate_logic_DisconnectReply__Output>
      DisconnectReq: MessageTypeDefinition<_imgate_logic_DisconnectReq, _imgate_logic_DisconnectReq__Output>
      HeartbeatReply: MessageTypeDefinition<_imgate_logic_HeartbeatReply, _imgate_logic_HeartbeatReply__Output>
      HeartbeatReq: MessageTypeDefinition<_imgate_logic_HeartbeatReq, _imgate_logic_HeartbeatReq__Output>
      HeldPush: MessageTypeDefinition<_imgate_logic_HeldPush, _imgate_logic_HeldPush__Output>
      JoinRoomsReply: MessageTypeDefinition<_imgate_logic_JoinRoomsReply, _imgate_logic_JoinRoomsReply__Output>
      JoinRoomsReq: MessageTypeDefinition<_imgate_logic_JoinRoomsReq, _imgate_logic_JoinRoomsReq__Output>
      KickReply: MessageTypeDefinition<_imgate_logic_KickReply, _imgate_logic_KickReply__Output>
      KickReq: MessageTypeDefinition<_imgate_logic_KickReq, _imgate_logic_KickReq__Output>
      Logic: SubtypeConstructor<typeof grpc.Client, _imgate_logic_LogicClient> & { service: _imgate_logic_LogicDefinition }
      Node: MessageTypeDefinition<_imgate_logic_Node, _imgate_logic_Node__Output>
      NodesReply: MessageTypeDefinition<_imgate_logic_NodesReply, _imgate_logic_NodesReply__Output>
      NodesReq: MessageTypeDefinition<_imgate_logic_NodesReq, _imgate_logic_NodesReq__Output>
      Permissions: MessageTypeDefinition<_imgate_logic_Permissions, _imgate_logic_Permissions__Output>
      PushAllReq: MessageTypeDefinition<_imgate_logic_PushAllReq, _imgate_logic_PushAllReq__Output>
      PushKeysReq: MessageTypeDefinition<_imgate_logic_PushKeysReq, _imgate_logic_PushKeysReq__Output>
      PushMidsReq: MessageTypeDefinition<_imgate_logic_PushMidsReq, _imgate_logic_PushMidsReq__Output>
      PushReply: MessageTypeDefinition<_imgate_logic_PushReply, _imgate_logic_PushReply__Output>
      PushRoomReq: MessageTypeDefinition<_imgate_logic_PushRoomReq, _imgate_logic_PushRoomReq__Output>
      ReceiveReply: MessageTypeDefinition<_imgate_logic_ReceiveReply, _imgate_logic_ReceiveReply__Output>
      ReceiveReq: MessageTypeDefinition<_imgate_logic_ReceiveReq, _imgate_logic_ReceiveReq__Output>
      RenewOnlineReply: MessageTypeDefinition<_imgate_logic_RenewOnlineReply, _imgate_logic_RenewOnlineReply__Output>
      RenewOnlineReq: MessageTypeDefinition<_imgate_logic_RenewOnlineReq, _imgate_logic_RenewOnlineReq__Output>
      RenewSessionsReply: MessageTypeDefinition<_imgate_logic_RenewSessionsReply, _imgate_logic_RenewSessionsReply__Output>
      RenewSessionsReq: MessageTypeDefinition<_imgate_logic_RenewSessionsReq, _imgate_logic_RenewSessionsReq__Output>
      RevokeReply: MessageTypeDefinition<_imgate_logic_RevokeReply, _imgate_logic_RevokeReply__Output>
      RevokeReq: MessageTypeDefinition<_imgate_logic_RevokeReq, _imgate_logic_RevokeReq__Output>
      SessionRef: MessageTypeDefinition<_imgate_logic_SessionRef, _imgate_logic_SessionRef__Output>
      SessionUpdate: MessageTypeDefinition<_imgate_logic_SessionUpdate, _imgate_logic_SessionUpdate__Output>
      StreamHead: MessageTypeDefinition<_imgate_logic_StreamHead, _imgate_logic_StreamHead__Output>
      StreamMessage: MessageTypeDefinition<_imgate_logic_StreamMessage, _imgate_logic_StreamMessage__Output>
      SyncReply: MessageTypeDefinition<_imgate_logic_SyncReply, _imgate_logic_SyncReply__Output>
      SyncReq: MessageTypeDefinition<_imgate_logic_SyncReq, _imgate_logic_SyncReq__Output>
      SyncResult: MessageTypeDefinition<_imgate_logic_SyncResult, _imgate_logic_SyncResult__Output>
      SyncStream: MessageTypeDefinition<_imgate_logic_SyncStream, _imgate_logic_SyncStream__Output>
      UpdateSessionsReply: MessageTypeDefinition<_imgate_logic_UpdateSessionsReply, _imgate_logic_UpdateSessionsReply__Output>
      UpdateSessionsReq: MessageTypeDefinition<_imgate_logic_UpdateSessionsReq, _imgate_logic_UpdateSessionsReq__Output>
    }
  }
}

