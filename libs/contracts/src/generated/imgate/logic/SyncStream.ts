// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface SyncStream {
  'stream'?: (string);
  'epoch'?: (number);
  'offset'?: (number | string | Long);
  'last'?: (number);
}

export interface SyncStream__Output {
  'stream': (string);
  'epoch': (number);
  'offset': (number);
  'last': (number);
}
