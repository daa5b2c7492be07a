import { Controller, Get, Query } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import { queryList } from '../http/query';
import { OnlineService } from './online.service';

function limitOf(q: Record<string, unknown>): number {
  const v = q.limit ?? '20';
  if (typeof v !== 'string' || !/^\d{1,4}$/.test(v) || Number(v) < 1) throw RpcError.invalid('limit must be an integer from 1 to 9999');
  return Number(v);
}

/** Online counts in goim's shapes (`/goim/online/…`) and imgate's own (`/v1/online/…`). */
@Controller()
export class OnlineController {
  constructor(private readonly online: OnlineService) {}

  @Get('goim/online/top')
  goimTop(@Query() q: Record<string, unknown>): { code: 0; message: ''; data: Array<{ room_id: string; count: number }> } {
    const [type] = queryList(q, 'type');
    if (!type) throw RpcError.invalid('type is required (e.g. type=live)');
    const top = this.online.top(type, limitOf(q));
    return { code: 0, message: '', data: top.map(({ room, count }) => ({ room_id: room.slice(type.length + 3), count })) };
  }

  @Get('goim/online/room')
  goimRoom(@Query() q: Record<string, unknown>): { code: 0; message: ''; data: Record<string, number> } {
    const [type] = queryList(q, 'type');
    const rooms = queryList(q, 'rooms');
    if (!type) throw RpcError.invalid('type is required (e.g. type=live)');
    if (rooms.length === 0) throw RpcError.invalid('rooms is required');
    return { code: 0, message: '', data: Object.fromEntries(rooms.map((r) => [r, this.online.roomCount(`${type}://${r}`)])) };
  }

  @Get('goim/online/total')
  goimTotal(): { code: 0; message: ''; data: { ip_count: number; conn_count: number } } {
    const { conns, ips } = this.online.total();
    return { code: 0, message: '', data: { ip_count: ips, conn_count: conns } };
  }

  @Get('v1/online/top')
  top(@Query() q: Record<string, unknown>): Array<{ room: string; count: number }> {
    const [type] = queryList(q, 'type');
    return this.online.top(type ?? '', limitOf(q));
  }

  @Get('v1/online/rooms')
  rooms(@Query() q: Record<string, unknown>): Record<string, number> {
    const rooms = queryList(q, 'room');
    if (rooms.length === 0) throw RpcError.invalid('room is required, e.g. ?room=live://1000');
    return Object.fromEntries(rooms.map((r) => [r, this.online.roomCount(r)]));
  }

  @Get('v1/online/total')
  total(): { connections: number; ips: number } {
    const { conns, ips } = this.online.total();
    return { connections: conns, ips };
  }
}
