// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface SessionRef {
  'mid'?: (number | string | Long);
  'key'?: (string);
}

export interface SessionRef__Output {
  'mid': (number);
  'key': (string);
}
