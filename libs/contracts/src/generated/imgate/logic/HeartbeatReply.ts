// Original file: proto/logic.proto


export interface HeartbeatReply {
  'online'?: (number);
}

export interface HeartbeatReply__Output {
  'online': (number);
}
