// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectionsReq {
  'mids'?: (number | string | Long)[];
}

export interface ConnectionsReq__Output {
  'mids': (number)[];
}
