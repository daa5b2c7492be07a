import { Op, type Packet } from '@imgate/protocol';
import type { Connection } from './connection';
import { type ConnectionContext, parseOps } from './connection-context';

const MAX_ACCEPTS = 256;

/** Op 14/16 (goim's watch/unwatch): add or remove accepted operations. */
export function watchOps(conn: Connection, ctx: ConnectionContext, p: Packet): void {
  const ops = parseOps(p.body);
  if (!ops) return conn.sendError(p.seq, 'bad_operations', 'the body must be comma-separated business operations, e.g. 1000,1001');
  const refused = p.op === Op.Sub ? conn.grants?.refusedSub(ops) : undefined;
  if (refused !== undefined) return conn.sendError(p.seq, 'forbidden_operation', `operation ${refused} is not permitted by the token`);
  const next = new Set(conn.accepts);
  if (p.op === Op.Sub) for (const op of ops) next.add(op);
  else for (const op of ops) next.delete(op);
  if (next.size > MAX_ACCEPTS) return conn.sendError(p.seq, 'bad_operations', `at most ${MAX_ACCEPTS} accepted operations`);
  const shared = ctx.accepts.acquire(next);
  ctx.accepts.release(conn.accepts);
  conn.accepts = shared;
  ctx.sessionUpdates.add(conn);
  conn.send(p.op === Op.Sub ? Op.SubReply : Op.UnsubReply, p.seq, p.body);
}
