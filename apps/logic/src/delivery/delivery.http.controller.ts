import { Controller, Get, Param } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import { type DeliveryReport, DeliveryService } from './delivery.service';

/** `GET /v1/users/:mid/delivery`: per device, what it acked of the user's stream and what it has not got. */
@Controller('v1/users')
export class DeliveryController {
  constructor(private readonly delivery: DeliveryService) {}

  @Get(':mid/delivery')
  report(@Param('mid') mid: string): Promise<DeliveryReport> {
    if (!/^[1-9]\d{0,15}$/.test(mid) || !Number.isSafeInteger(Number(mid))) throw RpcError.invalid(`mid ${JSON.stringify(mid.slice(0, 40))} is not a positive integer`);
    return this.delivery.delivery(Number(mid));
  }
}
