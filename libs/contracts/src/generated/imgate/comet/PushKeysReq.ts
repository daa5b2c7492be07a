// Original file: proto/comet.proto

import type { Long } from '@grpc/proto-loader';

export interface PushKeysReq {
  'keys'?: (string)[];
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'acceptedAtMs'?: (number | string | Long);
}

export interface PushKeysReq__Output {
  'keys': (string)[];
  'operation': (number);
  'body': (Buffer);
  'acceptedAtMs': (number);
}
