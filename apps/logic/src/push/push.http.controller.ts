import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { RpcError } from '@imgate/common';
import { idempotencyKey, intList, parsePushRequest, stringList } from './push-request';
import { PushService, type PushResult } from './push.service';

/** imgate's own JSON push API. Answers only after the queue acknowledged the write. */
@Controller('v1/push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Post('keys')
  @HttpCode(200)
  keys(@Body() body: unknown, @Req() http: Request): Promise<PushResult> {
    const req = parsePushRequest(body);
    return this.push.pushKeys(stringList(req.raw, 'keys'), req.op, req.body, idempotencyKey(http));
  }

  @Post('room')
  @HttpCode(200)
  room(@Body() body: unknown, @Req() http: Request): Promise<PushResult> {
    const req = parsePushRequest(body);
    if (typeof req.raw.room !== 'string') throw RpcError.invalid('room must be a string such as "live://1000"');
    return this.push.pushRoom(req.raw.room, req.op, req.body, idempotencyKey(http));
  }

  @Post('all')
  @HttpCode(200)
  all(@Body() body: unknown, @Req() http: Request): Promise<PushResult> {
    const req = parsePushRequest(body);
    const speed = req.raw.speed ?? 0;
    if (typeof speed !== 'number') throw RpcError.invalid('speed must be a number of connections per second');
    return this.push.pushAll(req.op, speed, req.body, idempotencyKey(http));
  }

  @Post('mids')
  @HttpCode(200)
  mids(@Body() body: unknown, @Req() http: Request): Promise<PushResult> {
    const req = parsePushRequest(body);
    return this.push.pushMids(intList(req.raw, 'mids'), req.op, req.body, idempotencyKey(http));
  }
}
