// Original file: proto/logic.proto

import type { AckEntry as _imgate_logic_AckEntry, AckEntry__Output as _imgate_logic_AckEntry__Output } from '../../imgate/logic/AckEntry';

export interface AckReq {
  'server'?: (string);
  'acks'?: (_imgate_logic_AckEntry)[];
}

export interface AckReq__Output {
  'server': (string);
  'acks': (_imgate_logic_AckEntry__Output)[];
}
