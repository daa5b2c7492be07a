// Original file: proto/logic.proto


export interface RevokeReply {
  'closed'?: (number);
}

export interface RevokeReply__Output {
  'closed': (number);
}
