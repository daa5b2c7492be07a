// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface RevokeReq {
  'jti'?: (string);
  'exp'?: (number | string | Long);
  'mid'?: (number | string | Long);
  'before'?: (number | string);
}

export interface RevokeReq__Output {
  'jti': (string);
  'exp': (number);
  'mid': (number);
  'before': (number);
}
