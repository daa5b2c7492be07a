import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CometClient as _imgate_comet_CometClient, CometDefinition as _imgate_comet_CometDefinition } from './imgate/comet/Comet';
import type { KickReply as _imgate_comet_KickReply, KickReply__Output as _imgate_comet_KickReply__Output } from './imgate/comet/KickReply';
import type { KickReq as _imgate_comet_KickReq, KickReq__Output as _imgate_comet_KickReq__Output } from './imgate/comet/KickReq';
import type { PushKeysReply as _imgate_comet_PushKeysReply, PushKeysReply__Output as _imgate_comet_PushKeysReply__Output } from './imgate/comet/PushKeysReply';
import type { PushKeysReq as _imgate_comet_PushKeysReq, PushKeysReq__Output as _imgate_comet_PushKeysReq__Output } from './imgate/comet/PushKeysReq';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  imgate: {
    comet: {
      Comet: SubtypeConstructor<typeof grpc.Client, _imgate_comet_CometClient> & { service: _imgate_comet_CometDefinition }
      KickReply: MessageTypeDefinition<_imgate_comet_KickReply, _imgate_comet_KickReply__Output>
      KickReq: MessageTypeDefinition<_imgate_comet_KickReq, _imgate_comet_KickReq__Output>
      PushKeysReply: MessageTypeDefinition<_imgate_comet_PushKeysReply, _imgate_comet_PushKeysReply__Output>
      PushKeysReq: MessageTypeDefinition<_imgate_comet_PushKeysReq, _imgate_comet_PushKeysReq__Output>
    }
  }
}

