// Original file: proto/logic.proto

import type { SyncStream as _imgate_logic_SyncStream, SyncStream__Output as _imgate_logic_SyncStream__Output } from '../../imgate/logic/SyncStream';
import type { Long } from '@grpc/proto-loader';

export interface SyncReq {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'server'?: (string);
  'streams'?: (_imgate_logic_SyncStream)[];
  'limit'?: (number);
}

export interface SyncReq__Output {
  'mid': (number);
  'key': (string);
  'server': (string);
  'streams': (_imgate_logic_SyncStream__Output)[];
  'limit': (number);
}
