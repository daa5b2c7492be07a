import { Inject, Injectable } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import { SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from '../session/session.repository';
import { CONNECTION_RECORDS, type ConnectionRecordRepository, type RoomsUpdate } from './connection-record';

/** One connection as `/v1/connections` and gRPC `Connections` show it. */
export interface ConnectionView {
  mid: number;
  key: string;
  comet: string;
  transport: string;
  ip: string;
  port: number;
  platform: string;
  connectedAtMs: number;
  /** The main room first. */
  rooms: string[];
  resumed: boolean;
}

const MAX_MIDS = 1_000;
const MAX_UPDATES = 10_000;
const ROOM = /^[\x21-\x7e]{1,128}$/;
const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Who is connected (by user), and the room/operation changes comets report for the records. */
@Injectable()
export class ConnectionsService {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(CONNECTION_RECORDS) private readonly records: ConnectionRecordRepository,
  ) {}

  async list(mids: readonly number[]): Promise<ConnectionView[]> {
    if (mids.length === 0) throw RpcError.invalid('mids must name at least one user');
    if (mids.length > MAX_MIDS) throw RpcError.invalid(`at most ${MAX_MIDS} mids`);
    const bad = mids.find((m) => !Number.isSafeInteger(m) || m <= 0);
    if (bad !== undefined) throw RpcError.invalid(`mid ${bad} is not a positive integer`);
    const byMid = await this.sessions.keysByMids([...new Set(mids)]);
    const routes = [...byMid.values()].flatMap((keys) => [...keys]);
    const recs = await this.records.get(routes.map(([key]) => key));
    const out: ConnectionView[] = [];
    recs.forEach((r, i) => {
      // The route is the truth about where a key lives; a record another comet wrote last is stale.
      if (!r || r.server !== routes[i][1]) return;
      out.push({
        mid: r.mid,
        key: r.key,
        comet: r.server,
        transport: r.transport,
        ip: r.ip,
        port: r.port,
        platform: r.platform,
        connectedAtMs: r.connectedAtMs,
        rooms: r.roomId ? [r.roomId, ...r.rooms] : r.rooms,
        resumed: r.resumed,
      });
    });
    return out.sort((a, b) => a.mid - b.mid || a.connectedAtMs - b.connectedAtMs);
  }

  async update(server: string, updates: readonly RoomsUpdate[]): Promise<number> {
    if (updates.length > MAX_UPDATES) throw RpcError.invalid(`at most ${MAX_UPDATES} sessions per UpdateSessions call`);
    const bad = updates.findIndex(
      (u) =>
        !KEY.test(u.key) ||
        (u.roomId !== '' && !ROOM.test(u.roomId)) ||
        u.rooms.length > 1_000 ||
        !u.rooms.every((r) => ROOM.test(r)) ||
        u.accepts.length > 256 ||
        !u.accepts.every((op) => Number.isInteger(op) && op >= 0),
    );
    if (bad >= 0) throw RpcError.invalid(`sessions[${bad}]: a key of 1-64 of [A-Za-z0-9_.:-], rooms of 1-128 printable characters (≤ 1000), accepts as operations (≤ 256)`);
    return this.records.update(server, updates);
  }
}
