import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import { intList, stringList } from '../push/push-request';
import { KickService } from './kick.service';
import { type RevokeRequest, RevokeService } from './revoke.service';

function object(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw RpcError.invalid('body must be a JSON object');
  return v as Record<string, unknown>;
}

function optionalNumber(o: Record<string, unknown>, name: string): number | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw RpcError.invalid(`${name} must be a number`);
  return v;
}

/** Admin API beside the push API (same API-key guard): kick and revoke. */
@Controller('v1')
export class AdminController {
  constructor(
    private readonly kicks: KickService,
    private readonly revocations: RevokeService,
  ) {}

  /** `{"mids":[…],"keys":[…],"reason":"…"}` → `{"closed":n}`. */
  @Post('kick')
  @HttpCode(200)
  kick(@Body() body: unknown): Promise<{ closed: number }> {
    const o = object(body);
    const reason = o.reason ?? '';
    if (typeof reason !== 'string') throw RpcError.invalid('reason must be a string');
    return this.kicks.kick(o.mids === undefined ? [] : intList(o, 'mids'), o.keys === undefined ? [] : stringList(o, 'keys'), reason);
  }

  /** `{"jti":"…","exp":…}` or `{"mid":n,"before":…}` (Unix seconds) → `{"closed":n}`. */
  @Post('revoke')
  @HttpCode(200)
  revoke(@Body() body: unknown): Promise<{ closed: number }> {
    const o = object(body);
    if (o.jti !== undefined && typeof o.jti !== 'string') throw RpcError.invalid('jti must be a string');
    const req: RevokeRequest = { jti: o.jti as string | undefined, exp: optionalNumber(o, 'exp'), mid: optionalNumber(o, 'mid'), before: optionalNumber(o, 'before') };
    return this.revocations.revoke(req);
  }
}
