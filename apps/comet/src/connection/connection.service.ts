import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { Buckets } from '../bucket/buckets';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { AckForwarder } from '../logic/ack-forwarder';
import { LogicClient } from '../logic/logic.client';
import { SessionRenewals } from '../logic/session-renewals';
import { SessionUpdates } from '../logic/session-updates';
import { CometMetrics } from '../comet.metrics';
import { OnlineReporter } from '../online-reporter.service';
import type { Link } from '../transport/link';
import { AcceptSets } from './accept-sets';
import { Connection } from './connection';
import type { ConnectionContext } from './connection-context';
import { Deadlines } from './deadlines';
import { ResumeGate } from './resume-gate';

/** Transports hand every new link here and get back the handler for its bytes. */
@Injectable()
export class ConnectionService {
  private readonly ctx: ConnectionContext;

  constructor(
    @Inject(COMET_CONFIG) config: CometConfig,
    buckets: Buckets,
    logic: LogicClient,
    rooms: OnlineReporter,
    private readonly deadlines: Deadlines,
    renewals: SessionRenewals,
    acks: AckForwarder,
    sessionUpdates: SessionUpdates,
    metrics: CometMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.ctx = { config, buckets, logic, rooms, deadlines, renewals, sessionUpdates, resumeGate: new ResumeGate(), acks, accepts: new AcceptSets(), metrics, logger };
  }

  accept(link: Link, framed: boolean): Connection {
    return new Connection(link, this.ctx, framed);
  }

  /** Every open connection over one transport, authenticated or not (a snapshot, for shutdown). */
  all(transport: Link['transport']): Connection[] {
    const out: Connection[] = [];
    for (const ch of this.ctx.buckets.all()) if (ch instanceof Connection && ch.transport === transport) out.push(ch);
    for (const c of this.deadlines.pendingConnections()) if (c instanceof Connection && c.transport === transport) out.push(c);
    return out;
  }
}
