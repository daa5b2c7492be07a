// Original file: proto/comet.proto

import type { StreamPos as _imgate_comet_StreamPos, StreamPos__Output as _imgate_comet_StreamPos__Output } from '../../imgate/comet/StreamPos';
import type { Long } from '@grpc/proto-loader';

export interface BroadcastRoomReq {
  'room'?: (string);
  'operation'?: (number);
  'bodies'?: (Buffer | Uint8Array | string)[];
  'acceptedAtMs'?: (number | string | Long);
  'messageIds'?: (string)[];
  'positions'?: (_imgate_comet_StreamPos)[];
}

export interface BroadcastRoomReq__Output {
  'room': (string);
  'operation': (number);
  'bodies': (Buffer)[];
  'acceptedAtMs': (number);
  'messageIds': (string)[];
  'positions': (_imgate_comet_StreamPos__Output)[];
}
