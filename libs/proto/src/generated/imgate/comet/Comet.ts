// Original file: proto/comet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { KickReply as _imgate_comet_KickReply, KickReply__Output as _imgate_comet_KickReply__Output } from '../../imgate/comet/KickReply';
import type { KickReq as _imgate_comet_KickReq, KickReq__Output as _imgate_comet_KickReq__Output } from '../../imgate/comet/KickReq';
import type { PushKeysReply as _imgate_comet_PushKeysReply, PushKeysReply__Output as _imgate_comet_PushKeysReply__Output } from '../../imgate/comet/PushKeysReply';
import type { PushKeysReq as _imgate_comet_PushKeysReq, PushKeysReq__Output as _imgate_comet_PushKeysReq__Output } from '../../imgate/comet/PushKeysReq';

export interface CometClient extends grpc.Client {
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
  
}

export interface CometHandlers extends grpc.UntypedServiceImplementation {
  Kick: grpc.handleUnaryCall<_imgate_comet_KickReq__Output, _imgate_comet_KickReply>;
  
  PushKeys: grpc.handleUnaryCall<_imgate_comet_PushKeysReq__Output, _imgate_comet_PushKeysReply>;
  
}

export interface CometDefinition extends grpc.ServiceDefinition {
  Kick: MethodDefinition<_imgate_comet_KickReq, _imgate_comet_KickReply, _imgate_comet_KickReq__Output, _imgate_comet_KickReply__Output>
  PushKeys: MethodDefinition<_imgate_comet_PushKeysReq, _imgate_comet_PushKeysReply, _imgate_comet_PushKeysReq__Output, _imgate_comet_PushKeysReply__Output>
}
