// Stream names (docs/delivery.md): `u:<mid>` for a user, `r:<room id>` for a room.

/** The longest room id, as for op 12/23 and pushes. */
export const MAX_ROOM_ID_LEN = 128;

export type StreamRef = { kind: 'user'; mid: number } | { kind: 'room'; room: string };

const USER = /^u:[1-9][0-9]{0,15}$/;
const ROOM = /^r:[\x21-\x7e]{1,128}$/;

/** The stream of the user with this mid (a positive safe integer). */
export function userStream(mid: number): string {
  if (!Number.isSafeInteger(mid) || mid < 1) throw new RangeError(`mid ${mid} is not a positive safe integer`);
  return `u:${mid}`;
}

/** The stream of a room (1-128 printable ASCII characters, goim's `type://id`). */
export function roomStream(room: string): string {
  const name = `r:${room}`;
  if (!ROOM.test(name)) throw new RangeError(`room ${JSON.stringify(room.slice(0, 80))} is not 1-${MAX_ROOM_ID_LEN} printable characters`);
  return name;
}

/** What a stream name refers to, or undefined when it is not a valid stream name. */
export function parseStream(name: string): StreamRef | undefined {
  if (ROOM.test(name)) return { kind: 'room', room: name.slice(2) };
  if (!USER.test(name)) return undefined;
  const mid = Number(name.slice(2));
  return Number.isSafeInteger(mid) ? { kind: 'user', mid } : undefined;
}

/** Whether a value is a valid stream name. */
export function isStreamName(name: unknown): name is string {
  return typeof name === 'string' && parseStream(name) !== undefined;
}
