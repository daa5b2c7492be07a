import { RpcError } from '@imgate/common';

type Query = Record<string, unknown>;

/** A repeated (`a=1&a=2`) or comma-separated query parameter as a list of strings. */
export function queryList(q: Query, name: string): string[] {
  const v = q[name];
  const items = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (!items.every((s): s is string => typeof s === 'string')) throw RpcError.invalid(`${name} must be plain values`);
  return items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function queryInt(q: Query, name: string): number {
  const v = q[name];
  if (v === undefined || v === '') throw RpcError.invalid(`${name} is required`);
  if (typeof v !== 'string' || !/^-?\d{1,10}$/.test(v)) throw RpcError.invalid(`${name} must be an integer (got ${JSON.stringify(v)})`);
  return Number(v);
}

/** goim's `type=live&room=1000` → `live://1000`. */
export function roomId(q: Query): string {
  const [type] = queryList(q, 'type');
  const room = q.room;
  if (!type) throw RpcError.invalid('type is required (e.g. type=live)');
  if (typeof room !== 'string' || room === '') throw RpcError.invalid('room is required');
  return `${type}://${room}`;
}

export function queryIntList(q: Query, name: string): number[] {
  return queryList(q, name).map((s) => {
    if (!/^\d{1,16}$/.test(s)) throw RpcError.invalid(`${name} must hold integers (got ${JSON.stringify(s.slice(0, 40))})`);
    return Number(s);
  });
}
