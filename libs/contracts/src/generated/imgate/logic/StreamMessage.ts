// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamMessage {
  'stream'?: (string);
  'epoch'?: (number);
  'offset'?: (number | string | Long);
  'id'?: (string);
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
}

export interface StreamMessage__Output {
  'stream': (string);
  'epoch': (number);
  'offset': (number);
  'id': (string);
  'operation': (number);
  'body': (Buffer);
}
