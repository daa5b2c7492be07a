/**
 * A connection's rooms: the main one as a shared (interned) string, and a set only for rooms
 * joined beyond it, so a connection in one room holds no set. A base class rather than a member
 * object so a connection stays one object (a comet holds them by the million); the subclass keeps
 * the membership index in buckets and logic's session record in step through the hooks.
 */
export abstract class ConnectionRooms {
  /** The main room (auth's room_id, moved by op 12); empty for none. Never also in `extraRooms`. */
  roomId = '';
  /** Rooms joined with op 23 beyond the main one. */
  private extraRooms: Set<string> | undefined = undefined;

  /** The membership index gains or loses this connection in `room`. */
  protected abstract memberJoined(room: string): void;
  protected abstract memberLeft(room: string): void;
  /** The comet-wide copy of a room id, so connections share one string. */
  protected abstract intern(room: string): string;
  /** Called before each change after auth (logic's record follows: resume, /v1/connections). */
  protected abstract roomsChanged(): void;

  roomList(): string[] {
    const out = this.roomId ? [this.roomId] : [];
    if (this.extraRooms) for (const r of this.extraRooms) out.push(r);
    return out;
  }

  hasRoom(room: string): boolean {
    return room !== '' && (room === this.roomId || this.extraRooms?.has(room) === true);
  }

  get roomCount(): number {
    return (this.roomId ? 1 : 0) + (this.extraRooms?.size ?? 0);
  }

  /** Op 12: the main room becomes `room` (empty: none); the old main room is left. */
  moveMainRoom(room: string): void {
    if (room === this.roomId) return;
    this.roomsChanged();
    if (this.roomId) this.memberLeft(this.roomId);
    this.roomId = '';
    if (!room) return;
    // A room joined with op 23 becomes the main one: already a member.
    if (this.extraRooms?.delete(room)) {
      if (this.extraRooms.size === 0) this.extraRooms = undefined;
    } else this.memberJoined(room);
    this.roomId = this.intern(room);
  }

  /** Op 23: one more room. */
  joinRoom(room: string): void {
    if (this.hasRoom(room)) return;
    (this.extraRooms ??= new Set()).add(room);
    this.memberJoined(room);
    this.roomsChanged();
  }

  /** Op 25: leave a room (the main one too). */
  leaveRoom(room: string): void {
    if (!this.hasRoom(room)) return;
    this.roomsChanged();
    if (room === this.roomId) this.roomId = '';
    else {
      this.extraRooms!.delete(room);
      if (this.extraRooms!.size === 0) this.extraRooms = undefined;
    }
    this.memberLeft(room);
  }
}
