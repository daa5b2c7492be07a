// Original file: proto/comet.proto


export interface DeliverReply {
  'delivered'?: (number);
  'stale'?: (number);
  'unreachable'?: (number);
}

export interface DeliverReply__Output {
  'delivered': (number);
  'stale': (number);
  'unreachable': (number);
}
