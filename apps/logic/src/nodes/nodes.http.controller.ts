import { Controller, Get } from '@nestjs/common';
import { NodesService } from './nodes.service';

/** The comet list for clients, best first (goim's /goim/nodes answer shape). */
@Controller()
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Get(['goim/nodes/weighted', 'goim/nodes/instances'])
  async weighted(): Promise<{ code: 0; message: ''; data: { nodes: Array<{ id: string; ws: string; tcp: string; weight: number }> } }> {
    const nodes = await this.nodes.list();
    return { code: 0, message: '', data: { nodes: nodes.map(({ id, ws, tcp, weight }) => ({ id, ws, tcp, weight })) } };
  }

  @Get('v1/nodes')
  list(): ReturnType<NodesService['list']> {
    return this.nodes.list();
  }
}
