// Original file: proto/logic.proto


export interface DisconnectReply {
  'has'?: (boolean);
}

export interface DisconnectReply__Output {
  'has': (boolean);
}
