// Original file: proto/comet.proto

import type { Long } from '@grpc/proto-loader';

export interface KickReq {
  'keys'?: (string)[];
  'mids'?: (number | string | Long)[];
  'code'?: (number);
  'reason'?: (string);
  'codeName'?: (string);
}

export interface KickReq__Output {
  'keys': (string)[];
  'mids': (number)[];
  'code': (number);
  'reason': (string);
  'codeName': (string);
}
