// Original file: proto/comet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BroadcastReply as _imgate_comet_BroadcastReply, BroadcastReply__Output as _imgate_comet_BroadcastReply__Output } from '../../imgate/comet/BroadcastReply';
import type { BroadcastReq as _imgate_comet_BroadcastReq, BroadcastReq__Output as _imgate_comet_BroadcastReq__Output } from '../../imgate/comet/BroadcastReq';
import type { BroadcastRoomReq as _imgate_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imgate_comet_BroadcastRoomReq__Output } from '../../imgate/comet/BroadcastRoomReq';
import type { DeliverReply as _imgate_comet_DeliverReply, DeliverReply__Output as _imgate_comet_DeliverReply__Output } from '../../imgate/comet/DeliverReply';
import type { DeliverReq as _imgate_comet_DeliverReq, DeliverReq__Output as _imgate_comet_DeliverReq__Output } from '../../imgate/comet/DeliverReq';
import type { KickReply as _imgate_comet_KickReply, KickReply__Output as _imgate_comet_KickReply__Output } from '../../imgate/comet/KickReply';
import type { KickReq as _imgate_comet_KickReq, KickReq__Output as _imgate_comet_KickReq__Output } from '../../imgate/comet/KickReq';
import type { PushKeysReply as _imgate_comet_PushKeysReply, PushKeysReply__Output as _imgate_comet_PushKeysReply__Output } from '../../imgate/comet/PushKeysReply';
import type { PushKeysReq as _imgate_comet_PushKeysReq, PushKeysReq__Output as _imgate_comet_PushKeysReq__Output } from '../../imgate/comet/PushKeysReq';
import type { RoomsReply as _imgate_comet_RoomsReply, RoomsReply__Output as _imgate_comet_RoomsReply__Output } from '../../imgate/comet/RoomsReply';
import type { RoomsReq as _imgate_comet_RoomsReq, RoomsReq__Output as _imgate_comet_RoomsReq__Output } from '../../imgate/comet/RoomsReq';

export interface CometClient extends grpc.Client {
  Broadcast(argument: _imgate_comet_BroadcastReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  Broadcast(argument: _imgate_comet_BroadcastReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  Broadcast(argument: _imgate_comet_BroadcastReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  Broadcast(argument: _imgate_comet_BroadcastReq, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imgate_comet_BroadcastReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imgate_comet_BroadcastReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imgate_comet_BroadcastReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imgate_comet_BroadcastReq, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  
  BroadcastRoom(argument: _imgate_comet_BroadcastRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  BroadcastRoom(argument: _imgate_comet_BroadcastRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  BroadcastRoom(argument: _imgate_comet_BroadcastRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  BroadcastRoom(argument: _imgate_comet_BroadcastRoomReq, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imgate_comet_BroadcastRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imgate_comet_BroadcastRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imgate_comet_BroadcastRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imgate_comet_BroadcastRoomReq, callback: grpc.requestCallback<_imgate_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  
  Deliver(argument: _imgate_comet_DeliverReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  Deliver(argument: _imgate_comet_DeliverReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  Deliver(argument: _imgate_comet_DeliverReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  Deliver(argument: _imgate_comet_DeliverReq, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  deliver(argument: _imgate_comet_DeliverReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  deliver(argument: _imgate_comet_DeliverReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  deliver(argument: _imgate_comet_DeliverReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  deliver(argument: _imgate_comet_DeliverReq, callback: grpc.requestCallback<_imgate_comet_DeliverReply__Output>): grpc.ClientUnaryCall;
  
  Kick(argument: _imgate_comet_KickReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imgate_comet_KickReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imgate_comet_KickReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imgate_comet_KickReq, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_comet_KickReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_comet_KickReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_comet_KickReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imgate_comet_KickReq, callback: grpc.requestCallback<_imgate_comet_KickReply__Output>): grpc.ClientUnaryCall;
  
  PushKeys(argument: _imgate_comet_PushKeysReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imgate_comet_PushKeysReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imgate_comet_PushKeysReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imgate_comet_PushKeysReq, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_comet_PushKeysReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_comet_PushKeysReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_comet_PushKeysReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imgate_comet_PushKeysReq, callback: grpc.requestCallback<_imgate_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  
  Rooms(argument: _imgate_comet_RoomsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  Rooms(argument: _imgate_comet_RoomsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  Rooms(argument: _imgate_comet_RoomsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  Rooms(argument: _imgate_comet_RoomsReq, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  rooms(argument: _imgate_comet_RoomsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  rooms(argument: _imgate_comet_RoomsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  rooms(argument: _imgate_comet_RoomsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  rooms(argument: _imgate_comet_RoomsReq, callback: grpc.requestCallback<_imgate_comet_RoomsReply__Output>): grpc.ClientUnaryCall;
  
}

export interface CometHandlers extends grpc.UntypedServiceImplementation {
  Broadcast: grpc.handleUnaryCall<_imgate_comet_BroadcastReq__Output, _imgate_comet_BroadcastReply>;
  
  BroadcastRoom: grpc.handleUnaryCall<_imgate_comet_BroadcastRoomReq__Output, _imgate_comet_BroadcastReply>;
  
  Deliver: grpc.handleUnaryCall<_imgate_comet_DeliverReq__Output, _imgate_comet_DeliverReply>;
  
  Kick: grpc.handleUnaryCall<_imgate_comet_KickReq__Output, _imgate_comet_KickReply>;
  
  PushKeys: grpc.handleUnaryCall<_imgate_comet_PushKeysReq__Output, _imgate_comet_PushKeysReply>;
  
  Rooms: grpc.handleUnaryCall<_imgate_comet_RoomsReq__Output, _imgate_comet_RoomsReply>;
  
}

export interface CometDefinition extends grpc.ServiceDefinition {
  Broadcast: MethodDefinition<_imgate_comet_BroadcastReq, _imgate_comet_BroadcastReply, _imgate_comet_BroadcastReq__Output, _imgate_comet_BroadcastReply__Output>
  BroadcastRoom: MethodDefinition<_imgate_comet_BroadcastRoomReq, _imgate_comet_BroadcastReply, _imgate_comet_BroadcastRoomReq__Output, _imgate_comet_BroadcastReply__Output>
  Deliver: MethodDefinition<_imgate_comet_DeliverReq, _imgate_comet_DeliverReply, _imgate_comet_DeliverReq__Output, _imgate_comet_DeliverReply__Output>
  Kick: MethodDefinition<_imgate_comet_KickReq, _imgate_comet_KickReply, _imgate_comet_KickReq__Output, _imgate_comet_KickReply__Output>
  PushKeys: MethodDefinition<_imgate_comet_PushKeysReq, _imgate_comet_PushKeysReply, _imgate_comet_PushKeysReq__Output, _imgate_comet_PushKeysReply__Output>
  Rooms: MethodDefinition<_imgate_comet_RoomsReq, _imgate_comet_RoomsReply, _imgate_comet_RoomsReq__Output, _imgate_comet_RoomsReply__Output>
}
