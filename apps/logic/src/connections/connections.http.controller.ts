import { Controller, Get, Query } from '@nestjs/common';
import { queryIntList } from '../http/query';
import { ConnectionsService } from './connections.service';

/** `GET /v1/connections?mids=1,2`: each live connection of these users, where and from which address. */
@Controller('v1/connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get()
  async list(@Query() q: Record<string, unknown>): Promise<{ connections: Array<Record<string, unknown>> }> {
    const views = await this.connections.list(queryIntList(q, 'mids'));
    return { connections: views.map(({ connectedAtMs, ...v }) => ({ ...v, connectedAt: new Date(connectedAtMs).toISOString() })) };
  }
}
