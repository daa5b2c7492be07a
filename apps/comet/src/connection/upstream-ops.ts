import { isServiceError } from '@imgate/common';
import { Op } from '@imgate/protocol';
import type { Connection } from './connection';
import type { ConnectionContext } from './connection-context';

const MAX_UPSTREAM_IN_FLIGHT = 64;
const EMPTY = new Uint8Array(0);

/**
 * Upstream messages (op 4, business ops, op 30 with the client's id) go to logic one at a time,
 * so they reach the queue in the order sent; op 5 answers each. Created on a connection's first.
 */
export class UpstreamOps {
  private chain: Promise<void> = Promise.resolve();
  private depth = 0;

  constructor(
    private readonly conn: Connection,
    private readonly ctx: ConnectionContext,
  ) {}

  send(seq: number, operation: number, payload: Uint8Array, clientMsgId: string): void {
    const conn = this.conn;
    if (conn.grants?.sends(operation) === false) return conn.sendError(seq, 'forbidden_operation', `sending operation ${operation} is not permitted by the token`);
    if (this.depth >= MAX_UPSTREAM_IN_FLIGHT) return conn.sendError(seq, 'too_many_in_flight', 'wait for replies before sending more');
    this.depth++;
    // Copy: the body is a view into a socket chunk that may be reused before logic is called.
    const body = Uint8Array.from(payload);
    this.chain = this.chain.then(async () => {
      try {
        await this.ctx.logic.receive({ mid: conn.mid, key: conn.key, roomId: conn.roomId, operation, seq: seq | 0, body, clientMsgId });
        conn.send(Op.SendMsgReply, seq, EMPTY);
      } catch (err) {
        conn.sendError(seq, 'upstream_failed', isServiceError(err) ? err.details : (err as Error).message);
      } finally {
        this.depth--;
      }
    });
  }
}
