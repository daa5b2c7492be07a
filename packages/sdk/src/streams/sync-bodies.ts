import { encodeSync, MAX_BODY_STREAMS, type SyncPosition } from '@imgate/protocol';

/** Op-28 bodies for any number of positions, at most 64 streams each; none for none. */
export function syncBodies(positions: readonly SyncPosition[], limit?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < positions.length; i += MAX_BODY_STREAMS) {
    out.push(encodeSync({ streams: positions.slice(i, i + MAX_BODY_STREAMS), limit }));
  }
  return out;
}
