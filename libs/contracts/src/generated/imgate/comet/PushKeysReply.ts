// Original file: proto/comet.proto


export interface PushKeysReply {
  'delivered'?: (number);
  'missing'?: (string)[];
}

export interface PushKeysReply__Output {
  'delivered': (number);
  'missing': (string)[];
}
