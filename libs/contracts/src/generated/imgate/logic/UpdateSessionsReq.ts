// Original file: proto/logic.proto

import type { SessionUpdate as _imgate_logic_SessionUpdate, SessionUpdate__Output as _imgate_logic_SessionUpdate__Output } from '../../imgate/logic/SessionUpdate';

export interface UpdateSessionsReq {
  'server'?: (string);
  'sessions'?: (_imgate_logic_SessionUpdate)[];
}

export interface UpdateSessionsReq__Output {
  'server': (string);
  'sessions': (_imgate_logic_SessionUpdate__Output)[];
}
