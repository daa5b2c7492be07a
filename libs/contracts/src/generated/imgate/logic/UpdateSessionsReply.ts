// Original file: proto/logic.proto


export interface UpdateSessionsReply {
  'updated'?: (number);
}

export interface UpdateSessionsReply__Output {
  'updated': (number);
}
