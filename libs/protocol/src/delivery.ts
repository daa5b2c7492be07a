// Reliable delivery on the wire (docs/delivery.md): stream names, op 27 (message), op 30 (send
// with id), and the JSON bodies of op 18 (ack), op 28 (sync) and op 29 (sync reply). One file per
// body; this one is the entry the index re-exports.
export { encodeAck, parseAck, type AckPositions } from './ack';
export { MAX_BODY_STREAMS, MAX_JSON_BODY_LEN } from './json-body';
export { parseOffset, U32_MAX, U64_MAX } from './offset';
export { decodeSendWithId, encodeSendWithId, MAX_SEND_ID_LEN, type SendWithId } from './send-with-id';
export {
  decodeStreamMessage,
  encodeStreamMessage,
  encodeStreamMessageInto,
  encodeStreamMessagePackets,
  STREAM_MESSAGE_FIXED_LEN,
  streamMessageLength,
  type StreamMessage,
  type StreamMessagePacketOptions,
} from './stream-message';
export { isStreamName, MAX_ROOM_ID_LEN, parseStream, roomStream, userStream, type StreamRef } from './stream-name';
export { encodeSync, MAX_SYNC_LIMIT, parseSync, type SyncPosition, type SyncRequest } from './sync';
export { encodeSyncReply, parseSyncReply, type SyncReply, type SyncReplyStream, type SyncStatus } from './sync-reply';
