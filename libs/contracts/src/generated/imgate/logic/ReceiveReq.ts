// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface ReceiveReq {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'server'?: (string);
  'roomId'?: (string);
  'operation'?: (number);
  'seq'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'clientMsgId'?: (string);
}

export interface ReceiveReq__Output {
  'mid': (number);
  'key': (string);
  'server': (string);
  'roomId': (string);
  'operation': (number);
  'seq': (number);
  'body': (Buffer);
  'clientMsgId': (string);
}
