// Original file: proto/logic.proto


export interface Node {
  'id'?: (string);
  'ws'?: (string);
  'tcp'?: (string);
  'weight'?: (number);
  'connections'?: (number);
  'wss'?: (string);
  'tls'?: (string);
  'kcp'?: (string);
}

export interface Node__Output {
  'id': (string);
  'ws': (string);
  'tcp': (string);
  'weight': (number);
  'connections': (number);
  'wss': (string);
  'tls': (string);
  'kcp': (string);
}
