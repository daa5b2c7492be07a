// Original file: proto/logic.proto


export interface PushKeysReq {
  'keys'?: (string)[];
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'idempotencyKey'?: (string);
}

export interface PushKeysReq__Output {
  'keys': (string)[];
  'operation': (number);
  'body': (Buffer);
  'idempotencyKey': (string);
}
