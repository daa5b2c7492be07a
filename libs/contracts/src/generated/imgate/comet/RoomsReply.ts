// Original file: proto/comet.proto


export interface RoomsReply {
  'rooms'?: ({[key: string]: number});
}

export interface RoomsReply__Output {
  'rooms': ({[key: string]: number});
}
