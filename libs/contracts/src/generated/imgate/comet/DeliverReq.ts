// Original file: proto/comet.proto

import type { Delivery as _imgate_comet_Delivery, Delivery__Output as _imgate_comet_Delivery__Output } from '../../imgate/comet/Delivery';

export interface DeliverReq {
  'items'?: (_imgate_comet_Delivery)[];
}

export interface DeliverReq__Output {
  'items': (_imgate_comet_Delivery__Output)[];
}
