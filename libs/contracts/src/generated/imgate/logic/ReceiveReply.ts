// Original file: proto/logic.proto


export interface ReceiveReply {
  'partition'?: (number);
  'offset'?: (string);
}

export interface ReceiveReply__Output {
  'partition': (number);
  'offset': (string);
}
