import { Controller, Get, HttpCode, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';

/** Each role provides its readiness checks: dependency name → does it answer. */
export type ReadinessCheck = () => Promise<Record<string, boolean>>;
export const READINESS = Symbol('READINESS');
/** Optional: settings an operator must know are unsafe (e.g. an open push API), shown on every /health answer. */
export const HEALTH_WARNINGS = Symbol('HEALTH_WARNINGS');

type Warnings = { warnings?: string[] };

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

  /** 200 when every dependency answers, 503 with the failing ones named otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' | 'not ready'; checks: Record<string, boolean> } & Warnings> {
    let checks: Record<string, boolean>;
    try {
      checks = await this.readiness();
    } catch {
      checks = { readiness: false };
    }
    const ok = Object.values(checks).every(Boolean);
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not ready', checks, ...this.warned() };
  }
}
