// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface SessionUpdate {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'roomId'?: (string);
  'rooms'?: (string)[];
  'accepts'?: (number)[];
}

export interface SessionUpdate__Output {
  'mid': (number);
  'key': (string);
  'roomId': (string);
  'rooms': (string)[];
  'accepts': (number)[];
}
