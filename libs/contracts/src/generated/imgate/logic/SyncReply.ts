// Original file: proto/logic.proto

import type { StreamMessage as _imgate_logic_StreamMessage, StreamMessage__Output as _imgate_logic_StreamMessage__Output } from '../../imgate/logic/StreamMessage';
import type { SyncResult as _imgate_logic_SyncResult, SyncResult__Output as _imgate_logic_SyncResult__Output } from '../../imgate/logic/SyncResult';

export interface SyncReply {
  'messages'?: (_imgate_logic_StreamMessage)[];
  'results'?: (_imgate_logic_SyncResult)[];
}

export interface SyncReply__Output {
  'messages': (_imgate_logic_StreamMessage__Output)[];
  'results': (_imgate_logic_SyncResult__Output)[];
}
