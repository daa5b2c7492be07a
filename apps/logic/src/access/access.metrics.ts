import { Inject, Injectable } from '@nestjs/common';
import { METRICS, type MetricsRegistry } from '@imgate/common';
import { Counter } from 'prom-client';

@Injectable()
export class AccessMetrics {
  /** Connections logic had comets close, by op-21 code (kicked, login_elsewhere, too_many_connections, revoked). */
  readonly kicked: Counter<'code'>;
  /** Join hook answers: allow, deny, error; cached answers are counted as `cached`. */
  readonly joinHook: Counter<'result'>;
  /** Auths refused by access control: room, operation, hook, revoked. */
  readonly refused: Counter<'reason'>;

  constructor(@Inject(METRICS) registry: MetricsRegistry) {
    const registers = [registry];
    this.kicked = new Counter({ name: 'imgate_logic_kicked_total', help: 'Connections closed by kick, multi-login policy or revocation, by code', labelNames: ['code'], registers });
    this.joinHook = new Counter({ name: 'imgate_logic_join_hook_total', help: 'Join hook decisions by result', labelNames: ['result'], registers });
    this.refused = new Counter({ name: 'imgate_logic_access_refused_total', help: 'Auths refused by access control, by reason', labelNames: ['reason'], registers });
  }
}
