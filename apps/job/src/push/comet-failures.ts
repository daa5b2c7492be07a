import type { Clock } from '@imgate/common';

/**
 * Which comets failed a delivery lately. A comet whose deliveries were just given up on is
 * skipped for a cool-down instead of being retried for every batch, so one gone or failing
 * comet costs each partition at most one bounded retry budget, not one per batch.
 */
export class CometFailures {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly cooldownMs: number,
    private readonly clock: Clock,
  ) {}

  /** True while the comet is cooling down after a failed delivery. */
  skipping(server: string): boolean {
    const t = this.until.get(server);
    if (t === undefined) return false;
    if (this.clock.now() < t) return true;
    this.until.delete(server);
    return false;
  }

  failed(server: string): void {
    this.until.set(server, this.clock.now() + this.cooldownMs);
  }

  succeeded(server: string): void {
    this.until.delete(server);
  }
}
