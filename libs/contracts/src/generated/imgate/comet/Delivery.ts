// Original file: proto/comet.proto

import type { PushKeysReq as _imgate_comet_PushKeysReq, PushKeysReq__Output as _imgate_comet_PushKeysReq__Output } from '../../imgate/comet/PushKeysReq';
import type { BroadcastRoomReq as _imgate_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imgate_comet_BroadcastRoomReq__Output } from '../../imgate/comet/BroadcastRoomReq';
import type { BroadcastReq as _imgate_comet_BroadcastReq, BroadcastReq__Output as _imgate_comet_BroadcastReq__Output } from '../../imgate/comet/BroadcastReq';

export interface Delivery {
  'push'?: (_imgate_comet_PushKeysReq | null);
  'room'?: (_imgate_comet_BroadcastRoomReq | null);
  'all'?: (_imgate_comet_BroadcastReq | null);
  'kind'?: "push"|"room"|"all";
}

export interface Delivery__Output {
  'push'?: (_imgate_comet_PushKeysReq__Output | null);
  'room'?: (_imgate_comet_BroadcastRoomReq__Output | null);
  'all'?: (_imgate_comet_BroadcastReq__Output | null);
  'kind'?: "push"|"room"|"all";
}
