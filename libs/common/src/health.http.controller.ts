import { Controller, Get, HttpCode, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Readiness } from './dependency';

/** Each role provides its readiness checks: dependency name → does it answer (with a reason when not). */
export type ReadinessCheck = () => Promise<Readiness>;
export const READINESS = Symbol('READINESS');
/** Optional: settings an operator must know are unsafe (e.g. an open push API), shown on every /health answer. */
export const HEALTH_WARNINGS = Symbol('HEALTH_WARNINGS');

type Warnings = { warnings?: string[] };

interface ReadyBody {
  status: 'ready' | 'degraded' | 'not ready';
  checks: Record<string, boolean>;
  /** Why each failing dependency fails. */
  reasons: Record<string, string>;
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(READINESS) private readonly readiness: ReadinessCheck,
    @Optional() @Inject(HEALTH_WARNINGS) private readonly warnings: string[] = [],
  ) {}

  private warned(): Warnings {
    return this.warnings.length ? { warnings: this.warnings } : {};
  }

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } & Warnings {
    return { status: 'ok', ...this.warned() };
  }

  /**
   * 200 when every dependency answers ("ready"), or when the failing ones are within their grace
   * ("degraded": a short blip must not take every node out of its load balancer at once);
   * 503 otherwise. Failing dependencies are named with a reason.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyBody & Warnings> {
    let all: Readiness;
    try {
      all = await this.readiness();
    } catch (err) {
      all = { readiness: { ok: false, reason: (err as Error).message } };
    }
    const body: ReadyBody = { status: 'ready', checks: {}, reasons: {} };
    for (const [name, v] of Object.entries(all)) {
      const s = typeof v === 'boolean' ? { ok: v } : v;
      body.checks[name] = s.ok;
      if (s.ok) continue;
      body.reasons[name] = s.reason ?? 'not available';
      if (s.tolerated) {
        if (body.status === 'ready') body.status = 'degraded';
      } else body.status = 'not ready';
    }
    res.status(body.status === 'not ready' ? 503 : 200);
    return { ...body, ...this.warned() };
  }
}
