// Original file: proto/logic.proto

import type { StreamHead as _imgate_logic_StreamHead, StreamHead__Output as _imgate_logic_StreamHead__Output } from '../../imgate/logic/StreamHead';
import type { HeldPush as _imgate_logic_HeldPush, HeldPush__Output as _imgate_logic_HeldPush__Output } from '../../imgate/logic/HeldPush';
import type { Permissions as _imgate_logic_Permissions, Permissions__Output as _imgate_logic_Permissions__Output } from '../../imgate/logic/Permissions';
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
  'delivery'?: (boolean);
  'device'?: (string);
  'heads'?: (_imgate_logic_StreamHead)[];
  'resume'?: (string);
  'resumeTtlSec'?: (number);
  'resumed'?: (boolean);
  'rooms'?: (string)[];
  'held'?: (_imgate_logic_HeldPush)[];
  'permissions'?: (_imgate_logic_Permissions | null);
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
  'delivery': (boolean);
  'device': (string);
  'heads': (_imgate_logic_StreamHead__Output)[];
  'resume': (string);
  'resumeTtlSec': (number);
  'resumed': (boolean);
  'rooms': (string)[];
  'held': (_imgate_logic_HeldPush__Output)[];
  'permissions': (_imgate_logic_Permissions__Output | null);
}
