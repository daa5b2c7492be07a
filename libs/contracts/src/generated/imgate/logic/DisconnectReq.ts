// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface DisconnectReq {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'server'?: (string);
}

export interface DisconnectReq__Output {
  'mid': (number);
  'key': (string);
  'server': (string);
}
