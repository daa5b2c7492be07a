// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface DeviceDelivery {
  'device'?: (string);
  'acked'?: (number | string | Long);
  'undelivered'?: (number | string | Long);
  'lastAckMs'?: (number | string | Long);
}

export interface DeviceDelivery__Output {
  'device': (string);
  'acked': (number);
  'undelivered': (number);
  'lastAckMs': (number);
}
