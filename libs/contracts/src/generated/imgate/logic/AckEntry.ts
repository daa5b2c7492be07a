// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface AckEntry {
  'mid'?: (number | string | Long);
  'device'?: (string);
  'stream'?: (string);
  'offset'?: (number | string | Long);
}

export interface AckEntry__Output {
  'mid': (number);
  'device': (string);
  'stream': (string);
  'offset': (number);
}
