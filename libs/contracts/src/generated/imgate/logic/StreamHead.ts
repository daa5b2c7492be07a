// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamHead {
  'stream'?: (string);
  'epoch'?: (number);
  'head'?: (number | string | Long);
}

export interface StreamHead__Output {
  'stream': (string);
  'epoch': (number);
  'head': (number);
}
