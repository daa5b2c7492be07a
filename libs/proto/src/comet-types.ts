export type { PushKeysReq, PushKeysReq__Output } from './generated/imgate/comet/PushKeysReq';
export type { PushKeysReply, PushKeysReply__Output } from './generated/imgate/comet/PushKeysReply';
export type { KickReq, KickReq__Output } from './generated/imgate/comet/KickReq';
export type { KickReply, KickReply__Output } from './generated/imgate/comet/KickReply';
