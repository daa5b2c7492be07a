import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CLOCK, type Clock } from '@imgate/common';

/**
 * This comet process, as opposed to its id: a comet restarted under the same COMET_ID (a
 * StatefulSet pod, a SIGKILL and a supervisor's restart) is a new incarnation. Announced in the
 * registry (`boot`, `bootAt`), so logic sweeps the sessions the earlier process left, and used
 * here to drop deliveries that job resolved against that earlier process's connections.
 */
@Injectable()
export class Incarnation {
  readonly bootAt: number;
  readonly boot: string;

  constructor(@Inject(CLOCK) clock: Clock) {
    this.bootAt = clock.now();
    this.boot = `${this.bootAt.toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /**
   * A push logic accepted (and resolved to connection keys) before this process started was meant
   * for the earlier one's connections. Logic's and this comet's clocks are compared: they must
   * agree within a restart's duration (NTP keeps them within milliseconds).
   */
  predates(acceptedAtMs: number): boolean {
    return acceptedAtMs > 0 && acceptedAtMs < this.bootAt;
  }
}
