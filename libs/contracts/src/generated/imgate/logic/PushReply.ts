// Original file: proto/logic.proto


export interface PushReply {
  'records'?: (number);
  'offline'?: (string)[];
  'id'?: (string);
  'duplicate'?: (boolean);
}

export interface PushReply__Output {
  'records': (number);
  'offline': (string)[];
  'id': (string);
  'duplicate': (boolean);
}
