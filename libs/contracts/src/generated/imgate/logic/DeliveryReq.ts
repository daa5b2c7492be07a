// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface DeliveryReq {
  'mid'?: (number | string | Long);
}

export interface DeliveryReq__Output {
  'mid': (number);
}
