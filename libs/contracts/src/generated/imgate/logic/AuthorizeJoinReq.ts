// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface AuthorizeJoinReq {
  'server'?: (string);
  'mid'?: (number | string | Long);
  'key'?: (string);
  'room'?: (string);
  'platform'?: (string);
}

export interface AuthorizeJoinReq__Output {
  'server': (string);
  'mid': (number);
  'key': (string);
  'room': (string);
  'platform': (string);
}
