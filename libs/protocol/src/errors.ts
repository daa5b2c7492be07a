export type ProtocolErrorCode =
  | 'short_header'
  | 'bad_packet_len'
  | 'bad_header_len'
  | 'packet_too_large'
  | 'bad_checksum'
  | 'trailing_bytes'
  | 'bad_batch'
  // Delivery bodies (docs/delivery.md): ops 27, 30, 18, 28, 29.
  | 'bad_stream_message'
  | 'bad_send_with_id'
  | 'bad_ack'
  | 'bad_sync'
  | 'bad_sync_reply';

/**
 * Malformed input from the wire. The code is stable (metrics, disconnect
 * reasons); the message is for humans.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}
