// Original file: proto/logic.proto


export interface Permissions {
  'roomsLimited'?: (boolean);
  'rooms'?: (string)[];
  'sendLimited'?: (boolean);
  'sendOps'?: (number)[];
  'subLimited'?: (boolean);
  'subOps'?: (number)[];
  'joinHook'?: (boolean);
}

export interface Permissions__Output {
  'roomsLimited': (boolean);
  'rooms': (string)[];
  'sendLimited': (boolean);
  'sendOps': (number)[];
  'subLimited': (boolean);
  'subOps': (number)[];
  'joinHook': (boolean);
}
