// Original file: proto/logic.proto


export interface PushRoomReq {
  'room'?: (string);
  'operation'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'idempotencyKey'?: (string);
}

export interface PushRoomReq__Output {
  'room': (string);
  'operation': (number);
  'body': (Buffer);
  'idempotencyKey': (string);
}
