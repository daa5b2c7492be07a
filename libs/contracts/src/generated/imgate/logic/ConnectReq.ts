// Original file: proto/logic.proto


export interface ConnectReq {
  'server'?: (string);
  'token'?: (Buffer | Uint8Array | string);
  'clientIp'?: (string);
  'clientPort'?: (number);
  'transport'?: (string);
}

export interface ConnectReq__Output {
  'server': (string);
  'token': (Buffer);
  'clientIp': (string);
  'clientPort': (number);
  'transport': (string);
}
