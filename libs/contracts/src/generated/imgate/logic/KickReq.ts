// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface KickReq {
  'mids'?: (number | string | Long)[];
  'keys'?: (string)[];
  'reason'?: (string);
}

export interface KickReq__Output {
  'mids': (number)[];
  'keys': (string)[];
  'reason': (string);
}
