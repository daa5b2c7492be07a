import { encodeStreamMessage, isStreamName, parseOffset, U32_MAX } from '@imgate/protocol';

/** A message's place in a stream, as job sends it (offsets are numbers after the proto loader). */
export interface StreamPosIn {
  stream: string;
  epoch: number;
  offset: number | string;
}

/** A validated place: what op 27 carries. */
export interface StreamPlace {
  stream: string;
  epoch: number;
  offset: bigint;
}

/** No stream: a best-effort push (by key or to all) still carries its id. */
export const BEST_EFFORT: StreamPlace = { stream: '', epoch: 0, offset: 0n };

/** A message id (decimal u64), or undefined when empty or malformed: then the push goes out as plain packets. */
export function messageIdOf(id: string): bigint | undefined {
  return id ? parseOffset(id) : undefined;
}

/** Ids for every body, or undefined unless each body has a valid one. */
export function messageIdsOf(ids: readonly string[], bodies: number): bigint[] | undefined {
  if (ids.length !== bodies) return undefined;
  const out: bigint[] = [];
  for (const s of ids) {
    const id = messageIdOf(s);
    if (id === undefined) return undefined;
    out.push(id);
  }
  return out;
}

/** A well-formed stream place, or undefined (the message then goes out best-effort, with its id). */
export function placeOf(p: StreamPosIn | undefined): StreamPlace | undefined {
  if (!p || !isStreamName(p.stream) || !Number.isInteger(p.epoch) || p.epoch < 1 || p.epoch > U32_MAX) return undefined;
  const offset = parseOffset(String(p.offset));
  return offset !== undefined && offset >= 1n ? { stream: p.stream, epoch: p.epoch, offset } : undefined;
}

/** The op-27 form of a push: its bodies, built lazily (only if some receiver opted in). */
export interface StreamForm {
  /** The messages have stream places (a push by mid, to a room), not best-effort ids only. */
  sequenced: boolean;
  bodies(): Uint8Array[];
}

export function streamBodies(operation: number, bodies: readonly Uint8Array[], ids: readonly bigint[], places: ReadonlyArray<StreamPlace | undefined>): StreamForm {
  return {
    sequenced: places.some((p) => p !== undefined),
    bodies: () => bodies.map((payload, i) => encodeStreamMessage({ ...(places[i] ?? BEST_EFFORT), id: ids[i], operation, payload })),
  };
}
