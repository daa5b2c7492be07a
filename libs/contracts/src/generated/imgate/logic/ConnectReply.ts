// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectReply {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'roomId'?: (string);
  'accepts'?: (number)[];
  'heartbeatSec'?: (number);
  'platform'?: (string);
  'heartbeatMinSec'?: (number);
  'heartbeatStepSec'?: (number);
}

export interface ConnectReply__Output {
  'mid': (number);
  'key': (string);
  'roomId': (string);
  'accepts': (number)[];
  'heartbeatSec': (number);
  'platform': (string);
  'heartbeatMinSec': (number);
  'heartbeatStepSec': (number);
}
