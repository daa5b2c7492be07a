// Original file: proto/logic.proto


export interface KickReply {
  'closed'?: (number);
}

export interface KickReply__Output {
  'closed': (number);
}
