// Original file: proto/queue.proto

import type { Long } from '@grpc/proto-loader';

export interface UpstreamMsg {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'server'?: (string);
  'roomId'?: (string);
  'operation'?: (number);
  'seq'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'receivedAtMs'?: (number | string | Long);
  'clientMsgId'?: (string);
}

export interface UpstreamMsg__Output {
  'mid': (number);
  'key': (string);
  'server': (string);
  'roomId': (string);
  'operation': (number);
  'seq': (number);
  'body': (Buffer);
  'receivedAtMs': (number);
  'clientMsgId': (string);
}
