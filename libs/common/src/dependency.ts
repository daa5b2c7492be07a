import type { Clock } from './clock';
import type { Logger } from './logger';

/** One dependency's part in a role's readiness. */
export interface DependencyState {
  ok: boolean;
  /** Why it is not ok (the last error), for /health/ready and the log. */
  reason?: string;
  /** Failing, but for less than the role's grace: the role stays ready (docs/operations.md, readiness). */
  tolerated?: boolean;
}

export type Readiness = Record<string, boolean | DependencyState>;

/**
 * Whether a dependency (Redis, Kafka) answers, kept from its client's events rather than probed
 * per health check, so /health/ready never waits on a dead socket. Transitions are logged once
 * each (down with the reason, back up with how long it was away); listeners hear every return.
 */
export class DependencyStatus {
  private ok = false;
  private reason = 'not connected yet';
  private everUp = false;
  private downSince: number;
  private readonly returns: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** How long a dependency that was up may fail before readiness drops (0: at once). */
    private readonly graceMs = 0,
  ) {
    this.downSince = clock.now();
  }

  get up(): boolean {
    return this.ok;
  }

  /** Calls back each time the dependency answers again after having failed (not on the first connect). */
  onReturn(listener: () => void): void {
    this.returns.push(listener);
  }

  markUp(): void {
    if (this.ok) return;
    const returning = this.everUp;
    this.ok = true;
    this.everUp = true;
    this.logger.info({ dependency: this.name, downMs: this.clock.now() - this.downSince }, returning ? `${this.name} is back` : `${this.name} connected`);
    if (returning) for (const l of this.returns) l();
  }

  markDown(reason: string): void {
    if (!this.ok) {
      this.reason = reason;
      return;
    }
    this.ok = false;
    this.reason = reason;
    this.downSince = this.clock.now();
    this.logger.warn({ dependency: this.name, reason }, `${this.name} unavailable; retrying with backoff`);
  }

  state(): DependencyState {
    if (this.ok) return { ok: true };
    const tolerated = this.everUp && this.clock.now() - this.downSince < this.graceMs;
    return { ok: false, reason: this.reason, ...(tolerated ? { tolerated } : {}) };
  }
}

/** Retries `attempt` with capped exponential backoff until it resolves or `stopped()` says to give up. */
export async function retryForever(attempt: () => Promise<void>, opts: { stopped: () => boolean; onError: (err: Error, delayMs: number) => void; baseMs?: number; capMs?: number }): Promise<boolean> {
  let delay = opts.baseMs ?? 250;
  for (;;) {
    if (opts.stopped()) return false;
    try {
      await attempt();
      return true;
    } catch (err) {
      if (opts.stopped()) return false;
      opts.onError(err as Error, delay);
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(opts.capMs ?? 2_000, delay * 2);
    }
  }
}

/** Errors that mean a dependency is away (not a bug, not bad input): they cross gRPC as UNAVAILABLE and HTTP as 503. */
export function isDependencyError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (/^(MaxRetriesPerRequestError|KafkaJS\w*Error|ClusterAllFailedError|QueueUnavailableError)$/.test(err.name)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  return /Connection is closed|Stream isn't writeable|max retries per request|^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|MOVED|ASK)\b|connect ECONNREFUSED|Command timed out/i.test(err.message);
}
