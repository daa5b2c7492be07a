// Original file: proto/logic.proto


export interface PushAllReq {
  'operation'?: (number);
  'speed'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'idempotencyKey'?: (string);
}

export interface PushAllReq__Output {
  'operation': (number);
  'speed': (number);
  'body': (Buffer);
  'idempotencyKey': (string);
}
