/** Stream names, their kinds and their Redis keys; pure, shared by the stream and ack stores. */

export type StreamKind = 'user' | 'room';

const USER = /^u:[1-9][0-9]{0,19}$/;

/** `u:<mid>` is a user's stream, `r:<room>` a room's; anything else is a caller's bug. */
export function streamKind(stream: string): StreamKind {
  if (USER.test(stream)) return 'user';
  if (stream.startsWith('r:') && stream.length > 2) return 'room';
  throw new RangeError(`not a stream name: ${JSON.stringify(stream.slice(0, 80))}`);
}

export function userStream(mid: number | bigint): string {
  return `u:${mid}`;
}

/**
 * The inside of a hash tag. Redis takes the tag from the first `{` to the first `}` after it, so a
 * room named `a}b` would end the tag early and put rooms `a}b` and `a}c` on one slot. `%`, `{` and
 * `}` are percent-escaped: injective (no two names share a key) and keys stay readable in
 * redis-cli, which a hash would not. The prefix must not contain braces.
 */
export function hashTag(name: string): string {
  return name.replace(/[%{}]/g, (c) => (c === '%' ? '%25' : c === '{' ? '%7B' : '%7D'));
}

/** `{prefix}{s:<stream>}:<suffix>`: every key of one stream shares a Cluster slot. */
export function streamKey(prefix: string, stream: string, suffix: 'm' | 'x' | 'a' | 'd'): string {
  return `${prefix}{s:${hashTag(stream)}}:${suffix}`;
}
