/**
 * Why a request or the client failed. `code` is stable: the server's codes from op 6/21/22
 * (`bad_room`, `upstream_failed`, `auth_failed`, …) or the SDK's own: `timeout`,
 * `disconnected`, `not_connected`, `closed`, `kicked`, `bad_reply`, `no_nodes`.
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
