import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { Buckets } from '../bucket/buckets';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { LogicClient } from '../logic/logic.client';
import { CometMetrics } from '../metrics/comet.metrics';
import { OnlineReporter } from '../online/online-reporter.service';
import type { Link } from '../transport/link';
import { Connection } from './connection';
import type { ConnectionContext } from './connection-context';

/** Transports hand every new link here and get back the handler for its bytes. */
@Injectable()
export class ConnectionService {
  private readonly ctx: ConnectionContext;

  constructor(
    @Inject(COMET_CONFIG) config: CometConfig,
    buckets: Buckets,
    logic: LogicClient,
    rooms: OnlineReporter,
    metrics: CometMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.ctx = { config, buckets, logic, rooms, metrics, logger };
  }

  accept(link: Link, framed: boolean): Connection {
    return new Connection(link, this.ctx, framed);
  }
}
