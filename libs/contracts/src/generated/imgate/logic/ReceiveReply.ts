// Original file: proto/logic.proto


export interface ReceiveReply {
  'partition'?: (number);
  'offset'?: (string);
  'duplicate'?: (boolean);
}

export interface ReceiveReply__Output {
  'partition': (number);
  'offset': (string);
  'duplicate': (boolean);
}
