import { isServiceError } from '@imgate/common';
import { Op, type Packet } from '@imgate/protocol';
import type { Connection } from './connection';
import { type ConnectionContext, ROOM_ID } from './connection-context';

const utf8 = new TextDecoder();

/**
 * Ops 12 (change the main room), 23 (join a further room) and 25 (leave one). Each reply is sent
 * only once the cluster knows this comet has members there, so a push sent after the reply arrives.
 */
export class RoomOps {
  constructor(
    private readonly conn: Connection,
    private readonly ctx: ConnectionContext,
  ) {}

  private roomOf(p: Packet): string | null {
    const room = utf8.decode(p.body).trim();
    if (!ROOM_ID.test(room)) {
      this.conn.sendError(p.seq, 'bad_room', 'a room id is 0-128 printable characters (type://id)');
      return null;
    }
    return room;
  }

  /**
   * The token's room grants (checked here, no call), then, with a join hook, logic's answer.
   * False after telling the client (op 22 `forbidden_room`); nothing has changed then.
   */
  private async permitted(p: Packet, room: string): Promise<boolean> {
    const { conn, ctx } = this;
    const grants = conn.grants;
    if (!grants || room === '' || conn.hasRoom(room)) return true;
    if (!grants.room(room)) {
      conn.sendError(p.seq, 'forbidden_room', `room ${room} is not permitted by the token`);
      return false;
    }
    if (!grants.joinHook) return true;
    try {
      const d = await ctx.logic.authorizeJoin({ mid: conn.mid, key: conn.key, room, platform: grants.platform });
      if (d.allow) return true;
      conn.sendError(p.seq, 'forbidden_room', d.reason || `room ${room} refused by the join hook`);
    } catch (err) {
      // Fail closed: a join nobody could approve is refused.
      const why = isServiceError(err) ? err.details : (err as Error).message;
      conn.sendError(p.seq, 'forbidden_room', `room ${room} could not be checked (${why}); refused`);
    }
    return false;
  }

  async change(p: Packet): Promise<void> {
    const room = this.roomOf(p);
    if (room === null || !(await this.permitted(p, room)) || this.conn.closed) return;
    const { conn, ctx } = this;
    const old = conn.roomId;
    if (room !== old) {
      if (room && !conn.hasRoom(room) && conn.roomCount - (old ? 1 : 0) >= ctx.config.maxRooms) {
        return conn.sendError(p.seq, 'too_many_rooms', `at most ${ctx.config.maxRooms} rooms per connection`);
      }
      conn.moveMainRoom(room);
    }
    await ctx.rooms.ready(room ? [room] : []);
    conn.send(Op.ChangeRoomReply, p.seq, p.body);
  }

  async join(p: Packet): Promise<void> {
    const room = this.roomOf(p);
    if (room === null) return;
    const { conn, ctx } = this;
    if (!room) return conn.sendError(p.seq, 'bad_room', 'name the room to join');
    if (!(await this.permitted(p, room)) || conn.closed) return;
    if (!conn.hasRoom(room)) {
      if (conn.roomCount >= ctx.config.maxRooms) return conn.sendError(p.seq, 'too_many_rooms', `at most ${ctx.config.maxRooms} rooms per connection`);
      conn.joinRoom(room);
    }
    await ctx.rooms.ready([room]);
    conn.send(Op.JoinRoomReply, p.seq, p.body);
  }

  leave(p: Packet): void {
    const room = this.roomOf(p);
    if (room === null) return;
    const { conn } = this;
    if (!conn.hasRoom(room)) return conn.sendError(p.seq, 'not_in_room', `not in room ${room}`);
    conn.leaveRoom(room);
    conn.send(Op.LeaveRoomReply, p.seq, p.body);
  }
}
