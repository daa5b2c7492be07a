// Original file: proto/logic.proto


export interface JoinRoomsReply {
}

export interface JoinRoomsReply__Output {
}
