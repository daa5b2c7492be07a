// Original file: proto/logic.proto


export interface RenewOnlineReply {
  'allRoomCount'?: ({[key: string]: number});
}

export interface RenewOnlineReply__Output {
  'allRoomCount': ({[key: string]: number});
}
