import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';

/** Each role provides its readiness checks: dependency name → does it answer. */
export type ReadinessCheck = () => Promise<Record<string, boolean>>;
export const READINESS = Symbol('READINESS');

@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS) private readonly readiness: ReadinessCheck) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every dependency answers, 503 with the failing ones named otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' | 'not ready'; checks: Record<string, boolean> }> {
    let checks: Record<string, boolean>;
    try {
      checks = await this.readiness();
    } catch {
      checks = { readiness: false };
    }
    const ok = Object.values(checks).every(Boolean);
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not ready', checks };
  }
}
