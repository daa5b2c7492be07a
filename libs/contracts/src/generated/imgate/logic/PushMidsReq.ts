// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface PushMidsReq {
  'mids'?: (number | string | Long)[];
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'idempotencyKey'?: (string);
}

export interface PushMidsReq__Output {
  'mids': (number)[];
  'operation': (number);
  'body': (Buffer);
  'idempotencyKey': (string);
}
