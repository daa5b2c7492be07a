/**
 * Operation codes. 0–17 keep goim's numbers and meanings so goim clients work
 * unchanged; 18 and up are imgate's additions.
 */
export enum Op {
  Handshake = 0,
  HandshakeReply = 1,
  Heartbeat = 2,
  /** Body: the room's online count, int32 big-endian (as goim). */
  HeartbeatReply = 3,
  SendMsg = 4,
  SendMsgReply = 5,
  DisconnectReply = 6,
  /** Body: JSON with goim's fields (mid, key, room_id, platform, accepts) plus token. */
  Auth = 7,
  AuthReply = 8,
  /** A batch: the body is whole packets back to back. */
  Raw = 9,
  ProtoReady = 10,
  ProtoFinish = 11,
  ChangeRoom = 12,
  ChangeRoomReply = 13,
  Sub = 14,
  SubReply = 15,
  Unsub = 16,
  UnsubReply = 17,
  Ack = 18,
  AckReply = 19,
  Reconnect = 20,
  Kick = 21,
  Error = 22,
  JoinRoom = 23,
  JoinRoomReply = 24,
  LeaveRoom = 25,
  LeaveRoomReply = 26,
  /** A stream message, binary (docs/delivery.md). */
  Message = 27,
  /** Body: JSON positions to recover from. */
  Sync = 28,
  /** Body: JSON per-stream status; follows the op-27 messages it answers. */
  SyncReply = 29,
  /** An upstream message with a client id (idempotent); answered by op 5. */
  SendWithId = 30,
}

/** Business operations start here; each connection's `accepts` filters them. */
export const BUSINESS_OP_MIN = 1000;
