// Original file: proto/logic.proto

import type { ConnectionInfo as _imgate_logic_ConnectionInfo, ConnectionInfo__Output as _imgate_logic_ConnectionInfo__Output } from '../../imgate/logic/ConnectionInfo';

export interface ConnectionsReply {
  'connections'?: (_imgate_logic_ConnectionInfo)[];
}

export interface ConnectionsReply__Output {
  'connections': (_imgate_logic_ConnectionInfo__Output)[];
}
