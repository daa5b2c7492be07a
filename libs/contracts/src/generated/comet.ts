import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BroadcastReply as _imgate_comet_BroadcastReply, BroadcastReply__Output as _imgate_comet_BroadcastReply__Output } from './imgate/comet/BroadcastReply';
import type { BroadcastReq as _imgate_comet_BroadcastReq, BroadcastReq__Output as _imgate_comet_BroadcastReq__Output } from './imgate/comet/BroadcastReq';
import type { BroadcastRoomReq as _imgate_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imgate_comet_BroadcastRoomReq__Output } from './imgate/comet/BroadcastRoomReq';
import type { CometClient as _imgate_comet_CometClient, CometDefinition as _imgate_comet_CometDefinition } from './imgate/comet/Comet';
import type { DeliverReply as _imgate_comet_DeliverReply, DeliverReply__Output as _imgate_comet_DeliverReply__Output } from './imgate/comet/DeliverReply';
import type { DeliverReq as _imgate_comet_DeliverReq, DeliverReq__Output as _imgate_comet_DeliverReq__Output } from './imgate/comet/DeliverReq';
import type { Delivery as _imgate_comet_Delivery, Delivery__Output as _imgate_comet_Delivery__Output } from './imgate/comet/Delivery';
import type { KickReply as _imgate_comet_KickReply, KickReply__Output as _imgate_comet_KickReply__Output } from './imgate/comet/KickReply';
import type { KickReq as _imgate_comet_KickReq, KickReq__Output as _imgate_comet_KickReq__Output } from './imgate/comet/KickReq';
import type { PushKeysReply as _imgate_comet_PushKeysReply, PushKeysReply__Output as _imgate_comet_PushKeysReply__Output } from './imgate/comet/PushKeysReply';
import type { PushKeysReq as _imgate_comet_PushKeysReq, PushKeysReq__Output as _imgate_comet_PushKeysReq__Output } from './imgate/comet/PushKeysReq';
import type { RoomsReply as _imgate_comet_RoomsReply, RoomsReply__Output as _imgate_comet_RoomsReply__Output } from './imgate/comet/RoomsReply';
import type { RoomsReq as _imgate_comet_RoomsReq, RoomsReq__Output as _imgate_comet_RoomsReq__Output } from './imgate/comet/RoomsReq';
import type { StreamPos as _imgate_comet_StreamPos, StreamPos__Output as _imgate_comet_StreamPos__Output } from './imgate/comet/StreamPos';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  imgate: {
    comet: {
      BroadcastReply: MessageTypeDefinition<_imgate_comet_BroadcastReply, _imgate_comet_BroadcastReply__Output>
      BroadcastReq: MessageTypeDefinition<_imgate_comet_BroadcastReq, _imgate_comet_BroadcastReq__Output>
      BroadcastRoomReq: MessageTypeDefinition<_imgate_comet_BroadcastRoomReq, _imgate_comet_BroadcastRoomReq__Output>
      Comet: SubtypeConstructor<typeof grpc.Client, _imgate_comet_CometClient> & { service: _imgate_comet_CometDefinition }
      DeliverReply: MessageTypeDefinition<_imgate_comet_DeliverReply, _imgate_comet_DeliverReply__Output>
      DeliverReq: MessageTypeDefinition<_imgate_comet_DeliverReq, _imgate_comet_DeliverReq__Output>
      Delivery: MessageTypeDefinition<_imgate_comet_Delivery, _imgate_comet_Delivery__Output>
      KickReply: MessageTypeDefinition<_imgate_comet_KickReply, _imgate_comet_KickReply__Output>
      KickReq: MessageTypeDefinition<_imgate_comet_KickReq, _imgate_comet_KickReq__Output>
      PushKeysReply: MessageTypeDefinition<_imgate_comet_PushKeysReply, _imgate_comet_PushKeysReply__Output>
      PushKeysReq: MessageTypeDefinition<_imgate_comet_PushKeysReq, _imgate_comet_PushKeysReq__Output>
      RoomsReply: MessageTypeDefinition<_imgate_comet_RoomsReply, _imgate_comet_RoomsReply__Output>
      RoomsReq: MessageTypeDefinition<_imgate_comet_RoomsReq, _imgate_comet_RoomsReq__Output>
      StreamPos: MessageTypeDefinition<_imgate_comet_StreamPos, _imgate_comet_StreamPos__Output>
    }
  }
}

