// Original file: proto/logic.proto

import type { SessionRef as _imgate_logic_SessionRef, SessionRef__Output as _imgate_logic_SessionRef__Output } from '../../imgate/logic/SessionRef';

export interface RenewSessionsReq {
  'server'?: (string);
  'sessions'?: (_imgate_logic_SessionRef)[];
}

export interface RenewSessionsReq__Output {
  'server': (string);
  'sessions': (_imgate_logic_SessionRef__Output)[];
}
