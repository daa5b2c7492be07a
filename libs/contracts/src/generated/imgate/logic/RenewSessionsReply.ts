// Original file: proto/logic.proto


export interface RenewSessionsReply {
  'renewed'?: (number);
  'restored'?: (number);
}

export interface RenewSessionsReply__Output {
  'renewed': (number);
  'restored': (number);
}
