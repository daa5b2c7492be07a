// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatReq {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'server'?: (string);
  'roomId'?: (string);
}

export interface HeartbeatReq__Output {
  'mid': (number);
  'key': (string);
  'server': (string);
  'roomId': (string);
}
