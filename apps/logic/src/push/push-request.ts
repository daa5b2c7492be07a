import type { Request } from 'express';
import { RpcError } from '@imgate/common';

/** Body of imgate's own JSON push API: `{ op, body | bodyBase64, keys | mids }`. */
export interface PushRequest {
  op: number;
  body: Uint8Array;
}

export function parsePushRequest(v: unknown): PushRequest & { raw: Record<string, unknown> } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw RpcError.invalid('body must be a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.op !== 'number' || !Number.isInteger(o.op)) throw RpcError.invalid('op must be an integer');
  if (o.body !== undefined && o.bodyBase64 !== undefined) throw RpcError.invalid('give body or bodyBase64, not both');
  let body: Uint8Array;
  if (typeof o.body === 'string') body = Buffer.from(o.body, 'utf8');
  else if (o.body !== undefined) body = Buffer.from(JSON.stringify(o.body), 'utf8');
  else if (typeof o.bodyBase64 === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(o.bodyBase64)) throw RpcError.invalid('bodyBase64 is not base64');
    body = Buffer.from(o.bodyBase64, 'base64');
  } else throw RpcError.invalid('body (string or JSON) or bodyBase64 is required');
  return { op: o.op, body, raw: o };
}

export function stringList(o: Record<string, unknown>, name: string): string[] {
  const v = o[name];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw RpcError.invalid(`${name} must be an array of strings`);
  return v;
}

export function intList(o: Record<string, unknown>, name: string): number[] {
  const v = o[name];
  if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' && Number.isSafeInteger(n))) throw RpcError.invalid(`${name} must be an array of integers`);
  return v;
}

/** The optional `Idempotency-Key` header ('' when absent); PushService validates it. */
export function idempotencyKey(req: Request): string {
  return req.header('idempotency-key') ?? '';
}
