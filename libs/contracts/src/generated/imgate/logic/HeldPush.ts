// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface HeldPush {
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'messageId'?: (string);
  'acceptedAtMs'?: (number | string | Long);
}

export interface HeldPush__Output {
  'operation': (number);
  'body': (Buffer);
  'messageId': (string);
  'acceptedAtMs': (number);
}
