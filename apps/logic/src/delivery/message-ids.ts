import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, RpcError } from '@imgate/common';
import { NODE_LEASE } from '../logic.tokens';
import type { NodeLease } from './node-lease';
import { Snowflake } from './snowflake';

/**
 * Every accepted push's id (docs/delivery.md, "Message ids"). The node id is read from the lease
 * at each mint rather than pushed by its onChange: the lease object is built with the infra,
 * before Nest exists, and reading it means no id is ever minted with a node id already given up.
 */
@Injectable()
export class MessageIds {
  private readonly snowflake: Snowflake;

  constructor(
    @Inject(NODE_LEASE) private readonly lease: NodeLease,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.snowflake = new Snowflake(0, clock, (ms) => sleep(ms));
  }

  async next(): Promise<bigint> {
    const node = this.lease.id;
    if (node < 0) throw RpcError.unavailable('no snowflake node id is leased (logic is starting or stopping)');
    if (node !== this.snowflake.node) this.snowflake.node = node;
    return this.snowflake.next();
  }
}
