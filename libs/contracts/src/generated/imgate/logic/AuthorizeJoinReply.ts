// Original file: proto/logic.proto


export interface AuthorizeJoinReply {
  'allow'?: (boolean);
  'reason'?: (string);
}

export interface AuthorizeJoinReply__Output {
  'allow': (boolean);
  'reason': (string);
}
