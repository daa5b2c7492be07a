import type { Buckets } from '../bucket/buckets';

/** Whether joining `room` would add a room to this comet beyond `max` (COMET_MAX_ROOMS_TOTAL). */
export function createsRoomPastLimit(buckets: Pick<Buckets, 'roomSize' | 'roomCounts'>, room: string, max: number): boolean {
  return buckets.roomSize(room) === 0 && buckets.roomCounts().size >= max;
}
