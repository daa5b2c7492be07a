// Original file: proto/comet.proto

import type { Long } from '@grpc/proto-loader';

export interface BroadcastReq {
  'operation'?: (number);
  'bodies'?: (Buffer | Uint8Array | string)[];
  'speed'?: (number);
  'acceptedAtMs'?: (number | string | Long);
  'messageIds'?: (string)[];
}

export interface BroadcastReq__Output {
  'operation': (number);
  'bodies': (Buffer)[];
  'speed': (number);
  'acceptedAtMs': (number);
  'messageIds': (string)[];
}
