/**
 * Room grants as a token carries them (claim `rooms`): exact room ids, or prefixes ending in `*`
 * (`live://*` grants every `live://` room; `*` alone grants every room). The empty room (no room)
 * needs no grant.
 */
export function roomGranted(grants: readonly string[], room: string): boolean {
  if (room === '') return true;
  for (const g of grants) {
    if (g.endsWith('*') ? room.startsWith(g.slice(0, -1)) : room === g) return true;
  }
  return false;
}
