// Original file: proto/logic.proto


export interface JoinRoomsReq {
  'server'?: (string);
  'rooms'?: (string)[];
}

export interface JoinRoomsReq__Output {
  'server': (string);
  'rooms': (string)[];
}
