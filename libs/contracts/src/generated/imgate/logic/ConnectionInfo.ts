// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectionInfo {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'comet'?: (string);
  'transport'?: (string);
  'ip'?: (string);
  'port'?: (number);
  'platform'?: (string);
  'connectedAtMs'?: (number | string | Long);
  'rooms'?: (string)[];
  'resumed'?: (boolean);
}

export interface ConnectionInfo__Output {
  'mid': (number);
  'key': (string);
  'comet': (string);
  'transport': (string);
  'ip': (string);
  'port': (number);
  'platform': (string);
  'connectedAtMs': (number);
  'rooms': (string)[];
  'resumed': (boolean);
}
