import { Controller, Get, Query } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import type { CometNode } from '@imgate/store';
import { NodesService } from './nodes.service';

function regionOf(q: Record<string, unknown>): string {
  const r = q.region ?? '';
  if (typeof r !== 'string' || !/^[A-Za-z0-9_.-]{0,64}$/.test(r)) throw RpcError.invalid('region must be up to 64 of [A-Za-z0-9_.-]');
  return r;
}

/** The comet list for clients, best first (goim's /goim/nodes answer shape). */
@Controller()
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Get(['goim/nodes/weighted', 'goim/nodes/instances'])
  async weighted(@Query() q: Record<string, unknown>): Promise<{ code: 0; message: ''; data: { nodes: Array<Pick<CometNode, 'id' | 'ws' | 'tcp' | 'wss' | 'tls' | 'weight'>> } }> {
    const nodes = await this.nodes.list(regionOf(q));
    // wss and tls beside goim's fields: empty when the comet serves no client TLS.
    return { code: 0, message: '', data: { nodes: nodes.map(({ id, ws, tcp, wss, tls, weight }) => ({ id, ws, tcp, wss, tls, weight })) } };
  }

  @Get('v1/nodes')
  list(@Query() q: Record<string, unknown>): ReturnType<NodesService['list']> {
    return this.nodes.list(regionOf(q));
  }
}
