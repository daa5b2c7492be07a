// Original file: proto/logic.proto


export interface NodesReq {
  'platform'?: (string);
}

export interface NodesReq__Output {
  'platform': (string);
}
