/**
 * Why a request or the client failed. `code` is stable: the server's codes from op 6/21/22
 * (`bad_room`, `upstream_failed`, `auth_failed`, …) or the SDK's own: `timeout`,
 * `disconnected`, `not_connected`, `closed`, `kicked`, `bad_reply`, `no_nodes`, `no_transport`,
 * `no_websocket` (the runtime has no WebSocket: in Node before 22, install `ws`).
 */
export class ImgateError extends Error {
  override readonly name = 'ImgateError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Request failures that say nothing about the request itself: the desired state is kept and restored. */
const TRANSIENT = new Set(['disconnected', 'timeout', 'not_connected', 'closed']);

/** A server error about the request itself (as opposed to the link going away). */
export function isRefusal(err: unknown): err is ImgateError {
  return err instanceof ImgateError && !TRANSIENT.has(err.code);
}
