// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface SyncResult {
  'stream'?: (string);
  'epoch'?: (number);
  'head'?: (number | string | Long);
  'status'?: (string);
  'next'?: (number | string | Long);
}

export interface SyncResult__Output {
  'stream': (string);
  'epoch': (number);
  'head': (number);
  'status': (string);
  'next': (number);
}
