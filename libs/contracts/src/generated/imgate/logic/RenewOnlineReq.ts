// Original file: proto/logic.proto


export interface RenewOnlineReq {
  'server'?: (string);
  'roomCount'?: ({[key: string]: number});
  'connCount'?: (number);
  'ipCount'?: (number);
}

export interface RenewOnlineReq__Output {
  'server': (string);
  'roomCount': ({[key: string]: number});
  'connCount': (number);
  'ipCount': (number);
}
