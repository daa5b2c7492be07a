// Original file: proto/comet.proto

import type { StreamPos as _imgate_comet_StreamPos, StreamPos__Output as _imgate_comet_StreamPos__Output } from '../../imgate/comet/StreamPos';
import type { Long } from '@grpc/proto-loader';

export interface PushKeysReq {
  'keys'?: (string)[];
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'acceptedAtMs'?: (number | string | Long);
  'messageId'?: (string);
  'positions'?: (_imgate_comet_StreamPos)[];
}

export interface PushKeysReq__Output {
  'keys': (string)[];
  'operation': (number);
  'body': (Buffer);
  'acceptedAtMs': (number);
  'messageId': (string);
  'positions': (_imgate_comet_StreamPos__Output)[];
}
