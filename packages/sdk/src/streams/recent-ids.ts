/** The last `capacity` ids seen, oldest forgotten first: drops replays of best-effort messages. */
export class RecentIds {
  private readonly ids = new Set<bigint>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.ids.size;
  }

  /** True if the id was seen (and remembers it again as the newest); false and remembers it otherwise. */
  seen(id: bigint): boolean {
    const had = this.ids.delete(id);
    this.ids.add(id);
    if (!had && this.ids.size > this.capacity) {
      for (const oldest of this.ids) {
        this.ids.delete(oldest);
        break;
      }
    }
    return had;
  }
}
