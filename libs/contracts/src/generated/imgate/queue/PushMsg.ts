// Original file: proto/queue.proto

import type { StreamPos as _imgate_queue_StreamPos, StreamPos__Output as _imgate_queue_StreamPos__Output } from '../../imgate/queue/StreamPos';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/queue.proto

export const _imgate_queue_PushMsg_Type = {
  PUSH: 'PUSH',
  ROOM: 'ROOM',
  BROADCAST: 'BROADCAST',
} as const;

export type _imgate_queue_PushMsg_Type =
  | 'PUSH'
  | 0
  | 'ROOM'
  | 1
  | 'BROADCAST'
  | 2

export type _imgate_queue_PushMsg_Type__Output = typeof _imgate_queue_PushMsg_Type[keyof typeof _imgate_queue_PushMsg_Type]

export interface PushMsg {
  'type'?: (_imgate_queue_PushMsg_Type);
  'operation'?: (number);
  'speed'?: (number);
  'server'?: (string);
  'room'?: (string);
  'keys'?: (string)[];
  'msg'?: (Buffer | Uint8Array | string);
  'acceptedAtMs'?: (number | string | Long);
  'id'?: (string);
  'positions'?: (_imgate_queue_StreamPos)[];
}

export interface PushMsg__Output {
  'type': (_imgate_queue_PushMsg_Type__Output);
  'operation': (number);
  'speed': (number);
  'server': (string);
  'room': (string);
  'keys': (string)[];
  'msg': (Buffer);
  'acceptedAtMs': (number);
  'id': (string);
  'positions': (_imgate_queue_StreamPos__Output)[];
}
