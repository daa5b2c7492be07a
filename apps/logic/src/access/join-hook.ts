import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, LOGGER, type Logger } from '@imgate/common';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG } from '../logic.tokens';

export interface JoinRequest {
  mid: number;
  key: string;
  room: string;
  platform: string;
}

export interface JoinDecision {
  allow: boolean;
  reason: string;
}

/** The hook could not be asked (down, slow, or a reply that is not `{allow:boolean}`): the join is refused. */
export class JoinHookError extends Error {}

const MAX_CACHED = 100_000;

/**
 * The business service's say on a join: POST JSON {mid,key,room,platform} to LOGIC_JOIN_HOOK_URL,
 * answer {allow:boolean, reason?}. Answers are reused per (mid, room) for LOGIC_JOIN_HOOK_CACHE_MS;
 * failures are not cached (and refuse: fail closed).
 */
@Injectable()
export class JoinHook {
  private readonly cache = new Map<string, JoinDecision & { until: number }>();

  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.config.access.joinHookUrl !== '';
  }

  async decide(req: JoinRequest): Promise<JoinDecision> {
    const id = `${req.mid}\n${req.room}`;
    const now = this.clock.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit;
    const decision = await this.ask(req);
    const ttl = this.config.access.joinHookCacheMs;
    if (ttl > 0) {
      if (this.cache.size >= MAX_CACHED) this.evict(now);
      this.cache.set(id, { ...decision, until: now + ttl });
    }
    return decision;
  }

  private async ask(req: JoinRequest): Promise<JoinDecision> {
    const { joinHookUrl, joinHookTimeoutMs } = this.config.access;
    let res: Response;
    try {
      res = await fetch(joinHookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(joinHookTimeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      this.logger.warn({ err: (err as Error).message }, 'join hook unreachable');
      throw new JoinHookError(timedOut ? `join hook did not answer within ${joinHookTimeoutMs} ms` : 'join hook unreachable');
    }
    if (!res.ok) throw new JoinHookError(`join hook answered HTTP ${res.status}`);
    let v: unknown;
    try {
      v = await res.json();
    } catch {
      throw new JoinHookError('join hook answer is not JSON');
    }
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    if (typeof o.allow !== 'boolean') throw new JoinHookError('join hook answer has no boolean "allow"');
    const reason = typeof o.reason === 'string' ? o.reason.slice(0, 200) : '';
    return { allow: o.allow, reason };
  }

  private evict(now: number): void {
    for (const [id, d] of this.cache) if (d.until <= now) this.cache.delete(id);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const id of this.cache.keys()) {
      if (this.cache.size < MAX_CACHED) break;
      this.cache.delete(id);
    }
  }
}
