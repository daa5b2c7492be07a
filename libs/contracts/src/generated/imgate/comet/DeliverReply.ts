// Original file: proto/comet.proto


export interface DeliverReply {
  'delivered'?: (number);
}

export interface DeliverReply__Output {
  'delivered': (number);
}
