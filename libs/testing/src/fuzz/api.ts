import * as grpc from '@grpc/grpc-js';
import { loadCometProto, loadLogicProto } from '@imgate/contracts';
import { apiHeaders, TEST_API_KEY } from '../jwt';
import type { Rng } from './rng';

export interface ApiStats {
  http: { requests: number; status: Record<string, number> };
  grpc: { calls: number; codes: Record<string, number>; deadlineByMethod: Record<string, number> };
}

export function emptyApiStats(): ApiStats {
  return { http: { requests: 0, status: {} }, grpc: { calls: 0, codes: {}, deadlineByMethod: {} } };
}

const PATHS = [
  '/goim/push/keys', '/goim/push/mids', '/goim/push/room', '/goim/push/all',
  '/v1/push/keys', '/v1/push/mids', '/v1/push/room', '/v1/push/all',
  '/goim/online/top', '/goim/online/room', '/goim/online/total', '/v1/online/rooms', '/v1/users/1/delivery', '/v1/users/x/delivery',
];
const PARAMS = ['operation', 'mids', 'keys', 'room', 'type', 'speed', 'limit', 'rooms'];
const VALUES = ['', '0', '1', '-1', '1000', '4294967296', '9007199254740993', '1e3', 'NaN', 'live', '%00', '%ff%fe', 'a'.repeat(3000), '[]', '{"a":1}', '😀'];
const TYPES = ['text/plain', 'application/json', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'];

function query(rng: Rng): string {
  const parts: string[] = [];
  for (let i = rng.int(rng.chance(0.95) ? 6 : 400); i > 0; i--) parts.push(`${rng.pick(PARAMS)}=${encodeURIComponent(rng.chance(0.8) ? rng.pick(VALUES) : String(rng.u32()))}`);
  return parts.join('&');
}

function jsonish(rng: Rng): Buffer {
  const shapes = [
    () => JSON.stringify({ mids: Array.from({ length: rng.int(50) }, () => rng.u32()), operation: rng.pick([1000, -1, 'x', null]), body: rng.bytes(rng.int(100)).toString('base64') }),
    () => JSON.stringify({ keys: rng.pick([null, 'k', [1, 2], [{}]]), room: rng.pick(['', 'live://1', 7]), operation: 1000 }),
    () => '{"mids":[' + '1,'.repeat(rng.int(20_000)) + '1]',
    () => '['.repeat(rng.int(5000)),
    () => '{"__proto__":{"x":1},"constructor":{"prototype":{}},"operation":1000,"mids":[1]}',
  ];
  return Buffer.from(rng.pick(shapes)());
}

/** One malformed HTTP request to logic's API (with the test API key half the time). */
export async function fuzzHttpOnce(baseUrl: string, rng: Rng, stats: ApiStats): Promise<void> {
  const method = rng.pick(['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH']);
  const body = method === 'GET' ? undefined : rng.chance(0.5) ? jsonish(rng) : rng.bytes(rng.int(rng.chance(0.95) ? 2048 : 2 * 1024 * 1024));
  const headers: Record<string, string> = { 'content-type': rng.pick(TYPES), ...(rng.chance(0.5) ? apiHeaders() : {}) };
  if (rng.chance(0.1)) headers['idempotency-key'] = rng.bytes(rng.int(400)).toString('latin1').replace(/[^\x20-\x7e]/g, 'x');
  let status = 'network-error';
  try {
    const res = await fetch(`${baseUrl}${rng.pick(PATHS)}?${query(rng)}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    status = String(res.status);
  } catch {
    // a refused or reset connection is an answer too
  }
  stats.http.requests++;
  stats.http.status[status] = (stats.http.status[status] ?? 0) + 1;
}

/** Unary methods of imgate's gRPC services, by full path. */
export function grpcMethods(service: 'logic' | 'comet'): string[] {
  const def = service === 'logic' ? loadLogicProto().imgate.logic.Logic.service : loadCometProto().imgate.comet.Comet.service;
  return Object.values(def).filter((m) => !m.requestStream && !m.responseStream).map((m) => m.path);
}

/** A gRPC client that sends raw bytes as the request message: what protobuf decoding makes of garbage. */
export function rawGrpcClient(address: string): grpc.Client {
  return new grpc.Client(address, grpc.credentials.createInsecure());
}

/** One unary call with a random (or truncated, or oversized) protobuf body. */
export function fuzzGrpcOnce(client: grpc.Client, methods: readonly string[], rng: Rng, stats: ApiStats): Promise<void> {
  const payload = rng.chance(0.05) ? rng.bytes(rng.int(4 * 1024 * 1024)) : protobufish(rng);
  const metadata = new grpc.Metadata();
  if (rng.chance(0.7)) metadata.set('authorization', `Bearer ${TEST_API_KEY}`);
  return new Promise((resolve) => {
    const method = rng.pick(methods);
    client.makeUnaryRequest(method, (b: Buffer) => b, (b: Buffer) => b, payload, metadata, { deadline: Date.now() + 10_000 }, (err) => {
      const code = err ? (grpc.status[err.code] ?? String(err.code)) : 'OK';
      stats.grpc.calls++;
      stats.grpc.codes[code] = (stats.grpc.codes[code] ?? 0) + 1;
      if (err?.code === grpc.status.DEADLINE_EXCEEDED) stats.grpc.deadlineByMethod[method] = (stats.grpc.deadlineByMethod[method] ?? 0) + 1;
      resolve();
    });
  });
}

/** Protobuf-looking bytes: field tags with random wire types and lengths that may lie. */
function protobufish(rng: Rng): Buffer {
  const out: number[] = [];
  for (let i = rng.int(12); i > 0; i--) {
    const field = 1 + rng.int(20);
    const wire = rng.pick([0, 1, 2, 2, 5, 3, 4, 6, 7]);
    out.push((field << 3) | wire);
    if (wire === 0) for (let k = rng.int(11); k > 0; k--) out.push(0x80 | rng.int(128));
    if (wire === 0) out.push(rng.int(128));
    else if (wire === 2) {
      const len = rng.int(300);
      out.push(rng.chance(0.8) ? Math.min(len, 127) : 0xff, rng.chance(0.5) ? 0x7f : 1);
      for (let k = rng.int(len); k > 0; k--) out.push(rng.int(256));
    } else for (let k = rng.pick([4, 8, 3]); k > 0; k--) out.push(rng.int(256));
  }
  return Buffer.from(out);
}
