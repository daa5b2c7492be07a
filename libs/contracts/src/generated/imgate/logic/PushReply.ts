// Original file: proto/logic.proto


export interface PushReply {
  'records'?: (number);
  'offline'?: (string)[];
}

export interface PushReply__Output {
  'records': (number);
  'offline': (string)[];
}
