// Original file: proto/logic.proto

import type { DeviceDelivery as _imgate_logic_DeviceDelivery, DeviceDelivery__Output as _imgate_logic_DeviceDelivery__Output } from '../../imgate/logic/DeviceDelivery';
import type { Long } from '@grpc/proto-loader';

export interface DeliveryReply {
  'stream'?: (string);
  'epoch'?: (number);
  'head'?: (number | string | Long);
  'devices'?: (_imgate_logic_DeviceDelivery)[];
}

export interface DeliveryReply__Output {
  'stream': (string);
  'epoch': (number);
  'head': (number);
  'devices': (_imgate_logic_DeviceDelivery__Output)[];
}
