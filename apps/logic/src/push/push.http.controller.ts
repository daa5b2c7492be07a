import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { intList, parsePushRequest, stringList } from './push-request';
import { PushService, type PushResult } from './push.service';

/** imgate's own JSON push API. Answers only after the queue acknowledged the write. */
@Controller('v1/push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Post('keys')
  @HttpCode(200)
  keys(@Body() body: unknown): Promise<PushResult> {
    const req = parsePushRequest(body);
    return this.push.pushKeys(stringList(req.raw, 'keys'), req.op, req.body);
  }

  @Post('mids')
  @HttpCode(200)
  mids(@Body() body: unknown): Promise<PushResult> {
    const req = parsePushRequest(body);
    return this.push.pushMids(intList(req.raw, 'mids'), req.op, req.body);
  }
}
