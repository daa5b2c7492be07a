import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { queryInt, queryIntList, queryList, roomId } from '../http/query';
import { idempotencyKey } from './push-request';
import { PushService, type PushResult } from './push.service';

function rawBody(req: Request): Uint8Array {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/**
 * goim's push paths, answering goim's shape so existing business services work unchanged; `data`
 * also carries the message id (and `duplicate: true` for a repeated Idempotency-Key).
 */
@Controller('goim/push')
export class GoimPushController {
  constructor(private readonly push: PushService) {}

  @Post('keys')
  @HttpCode(200)
  async keys(@Query() q: Record<string, unknown>, @Req() req: Request): Promise<{ code: 0; message: ''; data: PushResult }> {
    return { code: 0, message: '', data: await this.push.pushKeys(queryList(q, 'keys'), queryInt(q, 'operation'), rawBody(req), idempotencyKey(req)) };
  }

  /** goim's room form: the room id is `type://room`. */
  @Post('room')
  @HttpCode(200)
  async room(@Query() q: Record<string, unknown>, @Req() req: Request): Promise<{ code: 0; message: ''; data: PushResult }> {
    return { code: 0, message: '', data: await this.push.pushRoom(roomId(q), queryInt(q, 'operation'), rawBody(req), idempotencyKey(req)) };
  }

  @Post('all')
  @HttpCode(200)
  async all(@Query() q: Record<string, unknown>, @Req() req: Request): Promise<{ code: 0; message: ''; data: PushResult }> {
    const speed = q.speed === undefined || q.speed === '' ? 0 : queryInt(q, 'speed');
    return { code: 0, message: '', data: await this.push.pushAll(queryInt(q, 'operation'), speed, rawBody(req), idempotencyKey(req)) };
  }

  @Post('mids')
  @HttpCode(200)
  async mids(@Query() q: Record<string, unknown>, @Req() req: Request): Promise<{ code: 0; message: ''; data: PushResult }> {
    return { code: 0, message: '', data: await this.push.pushMids(queryIntList(q, 'mids'), queryInt(q, 'operation'), rawBody(req), idempotencyKey(req)) };
  }
}
