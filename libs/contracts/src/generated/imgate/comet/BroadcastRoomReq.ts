// Original file: proto/comet.proto

import type { Long } from '@grpc/proto-loader';

export interface BroadcastRoomReq {
  'room'?: (string);
  'operation'?: (number);
  'bodies'?: (Buffer | Uint8Array | string)[];
  'acceptedAtMs'?: (number | string | Long);
}

export interface BroadcastRoomReq__Output {
  'room': (string);
  'operation': (number);
  'bodies': (Buffer)[];
  'acceptedAtMs': (number);
}
