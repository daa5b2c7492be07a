import { apiHeaders } from '../jwt';
import { ProtoClient } from '../proto-client';
import { emptyApiStats, fuzzGrpcOnce, fuzzHttpOnce, grpcMethods, rawGrpcClient, type ApiStats } from './api';
import { Rng } from './rng';
import type { FuzzTarget } from './target';
import { emptyWireStats, fuzzKcpOnce, fuzzTcpOnce, fuzzWsOnce, type Transport, type WireStats } from './wire';

export interface FuzzOptions {
  seed: number;
  /** Mutated frames in all, shared evenly by TCP, WebSocket and KCP. */
  frames: number;
  httpRequests: number;
  grpcCalls: number;
  /** Connections in flight per transport. */
  concurrency?: number;
  /** Most frames one connection sends. */
  framesPerConnection?: number;
  onProgress?: (wire: WireStats, api: ApiStats) => void;
}

export interface FuzzReport {
  seed: number;
  wire: WireStats;
  api: ApiStats;
  /** The comet's own counts of what it refused, by metric and reason. */
  refused: Record<string, Record<string, number>>;
  alive: boolean;
  cleanClients: Record<Transport, boolean>;
  heapBefore: number;
  heapAfter: number;
  seconds: number;
}

const ONCE = { tcp: fuzzTcpOnce, ws: fuzzWsOnce, kcp: fuzzKcpOnce };

/**
 * Sends the mutated frames and malformed API calls to a live target; then checks the process is
 * alive, clean clients on every transport authenticate and get a push, and reads the heap after GC.
 */
export async function runFuzz(target: FuzzTarget, opts: FuzzOptions): Promise<FuzzReport> {
  const rng = new Rng(opts.seed);
  const wire = emptyWireStats();
  const api = emptyApiStats();
  const concurrency = opts.concurrency ?? 8;
  const perConn = opts.framesPerConnection ?? 200;
  const started = Date.now();
  // The baseline: after a warm-up, so code compiled on first use is not counted as growth.
  await cleanClients(target, 1);
  const heapBefore = await target.heapAfterGc();

  const progress = setInterval(() => opts.onProgress?.(wire, api), 5_000);
  try {
    const transports: Transport[] = ['tcp', 'ws', 'kcp'];
    const budget = Object.fromEntries(transports.map((t, i) => [t, Math.floor(opts.frames / 3) + (i < opts.frames % 3 ? 1 : 0)])) as Record<Transport, number>;
    const port = { tcp: target.tcp, ws: target.ws, kcp: target.kcp };
    const workers: Array<Promise<void>> = [];
    for (const t of transports) {
      for (let w = 0; w < concurrency; w++) {
        const r = rng.fork();
        workers.push((async () => {
          // Bounded: a listener that refuses every connection ends the worker after 200 in a row.
          for (let refused = 0; budget[t] > 0 && refused < 200; ) {
            const n = Math.min(budget[t], 1 + r.int(perConn));
            budget[t] -= n;
            const sent = await ONCE[t](port[t], r, wire, n);
            // Frames a connection could not send (the comet closed it first) go back to the budget.
            budget[t] += n - sent;
            refused = sent === 0 ? refused + 1 : 0;
          }
        })());
      }
    }
    let http = opts.httpRequests;
    for (let w = 0; w < concurrency; w++) {
      const r = rng.fork();
      workers.push((async () => {
        while (http-- > 0) await fuzzHttpOnce(target.logicUrl, r, api);
      })());
    }
    const grpcTargets = [
      { client: rawGrpcClient(`127.0.0.1:${target.logicGrpc}`), methods: grpcMethods('logic') },
      { client: rawGrpcClient(`127.0.0.1:${target.cometGrpc}`), methods: grpcMethods('comet') },
    ];
    let calls = opts.grpcCalls;
    for (let w = 0; w < concurrency; w++) {
      const r = rng.fork();
      workers.push((async () => {
        while (calls-- > 0) {
          const g = r.pick(grpcTargets);
          await fuzzGrpcOnce(g.client, g.methods, r, api);
        }
      })());
    }
    await Promise.all(workers);
    for (const g of grpcTargets) g.client.close();
  } finally {
    clearInterval(progress);
  }

  // The comet lets go of every fuzz connection (closed by it, or by the fuzzer and noticed).
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await gauge(target, 'imgate_comet_connections')) > 0) await new Promise((r) => setTimeout(r, 250));
  const refused = await reasons(target);
  const alive = target.alive();
  const clean = alive ? await cleanClients(target, 2) : { tcp: false, ws: false, kcp: false };
  const heapAfter = alive ? await target.heapAfterGc() : Number.NaN;
  return { seed: opts.seed, wire, api, refused, alive, cleanClients: clean, heapBefore, heapAfter, seconds: (Date.now() - started) / 1000 };
}

/** A well-behaved client on each transport: auth, then a push by mid reaches it. */
async function cleanClients(target: FuzzTarget, round: number): Promise<Record<Transport, boolean>> {
  const out = { tcp: false, ws: false, kcp: false };
  for (const [i, t] of (['tcp', 'ws', 'kcp'] as const).entries()) {
    const mid = 900_000 + round * 10 + i;
    let c: ProtoClient | undefined;
    try {
      c = t === 'tcp' ? await ProtoClient.tcp(target.tcp) : t === 'ws' ? await ProtoClient.ws(`ws://127.0.0.1:${target.ws}/sub`) : await ProtoClient.kcp(target.kcp);
      await c.auth({ mid, room_id: 'live://clean', accepts: [1000] });
      const res = await fetch(`${target.logicUrl}/goim/push/mids?operation=1000&mids=${mid}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...apiHeaders() }, body: `clean-${t}` });
      await res.arrayBuffer();
      const p = await c.op(1000, 10_000);
      out[t] = res.status === 200 && Buffer.from(p.body).toString() === `clean-${t}`;
    } catch {
      out[t] = false;
    } finally {
      c?.close();
    }
  }
  return out;
}

async function metricsText(target: FuzzTarget): Promise<string> {
  return (await fetch(`http://127.0.0.1:${target.cometHttp}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
}

async function gauge(target: FuzzTarget, name: string): Promise<number> {
  let sum = 0;
  for (const line of (await metricsText(target)).split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

const REASONS = ['imgate_comet_protocol_errors_total', 'imgate_comet_connections_closed_total', 'imgate_comet_kcp_dropped_total', 'imgate_comet_auth_total'];

/** `{ metric: { reason: count } }` for the comet's refusal counters. */
async function reasons(target: FuzzTarget): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const line of (await metricsText(target)).split('\n')) {
    const m = /^(\w+)\{(?:reason|result)="([^"]*)"\} (\S+)$/.exec(line);
    if (!m || !REASONS.includes(m[1])) continue;
    (out[m[1]] ??= {})[m[2]] = Number(m[3]);
  }
  return out;
}
