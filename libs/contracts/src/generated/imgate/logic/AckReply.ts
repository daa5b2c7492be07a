// Original file: proto/logic.proto


export interface AckReply {
  'recorded'?: (number);
}

export interface AckReply__Output {
  'recorded': (number);
}
