// Original file: proto/queue.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamPos {
  'stream'?: (string);
  'epoch'?: (number);
  'offset'?: (number | string | Long);
}

export interface StreamPos__Output {
  'stream': (string);
  'epoch': (number);
  'offset': (number);
}
