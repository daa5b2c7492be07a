import { bodyText, post, ProtoClient, streamMessageOf } from '@imgate/testing';
import type { ClientPool } from '../lib/client-pool';
import { quantile, sleep, wallMs } from '../lib/stats';
import { messageBody, OP_BENCH, OP_MESSAGE } from '../lib/wire';
import type { Send } from './senders';

export interface LatencyResult {
  label: string;
  rate: number;
  sent: number;
  samples: number;
  /** Milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  httpErrors: number;
  /** HTTP answer time (after Kafka acknowledged), where measured. */
  httpP50?: number;
  httpP99?: number;
}

export function summarize(label: string, rate: number, sent: number, lat: number[], httpErrors: number, http?: number[]): LatencyResult {
  const s = [...lat].sort((a, b) => a - b);
  const h = http ? [...http].sort((a, b) => a - b) : undefined;
  return {
    label,
    rate,
    sent,
    samples: s.length,
    p50: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    p999: quantile(s, 0.999),
    max: s.at(-1) ?? Number.NaN,
    httpErrors,
    httpP50: h && quantile(h, 0.5),
    httpP99: h && quantile(h, 0.99),
  };
}

/** Sends `count` items on a fixed schedule (`rate` per second); never waits for answers in the loop. */
async function schedule(count: number, rate: number, fire: (i: number) => Promise<unknown>): Promise<void> {
  const interval = 1000 / rate;
  const started = performance.now();
  const inflight: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(fire(i));
  }
  await Promise.all(inflight);
}

export interface MidsLatencyOptions {
  logicUrl: string;
  wsUrl: string;
  pushes: number;
  rate: number;
  clients: number;
  firstMid: number;
  /** The op-7 body for a user (dev mode: the mid; JWT mode: a token). */
  authBody: (mid: number) => Promise<object>;
  log: (line: string) => void;
}

/** What one run of pushes to users measured: latencies and HTTP answer times in ms. */
export interface MidsSamples {
  latencies: number[];
  http: number[];
  httpErrors: number;
}

/**
 * Push latency to single users: HTTP push to logic -> Kafka -> job -> comet -> WebSocket client,
 * clients in this process (one clock for send and receipt), pushes on a fixed schedule.
 */
export async function midsLatency(o: MidsLatencyOptions): Promise<LatencyResult> {
  const r = await midsSamples(o);
  return summarize('push to a user (mids)', o.rate, o.pushes, r.latencies, r.httpErrors, r.http);
}

/** {@link midsLatency}'s measurement, unsummarized (runs can be pooled). */
export async function midsSamples(o: MidsLatencyOptions): Promise<MidsSamples> {
  const conns = await Promise.all(
    Array.from({ length: o.clients }, async (_, i) => {
      const c = await ProtoClient.ws(o.wsUrl);
      await c.auth(await o.authBody(o.firstMid + i));
      return c;
    }),
  );
  try {
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const http: number[] = [];
    let httpErrors = 0;
    for (const c of conns) {
      c.onPacket = (p) => {
        // An opted-in client (auth body with delivery: true) gets op 27 with the message inside.
        const m = p.op === OP_MESSAGE ? streamMessageOf(p) : undefined;
        if ((m?.operation ?? p.op) !== OP_BENCH) return;
        const t = sentAt.get(m ? Buffer.from(m.payload).toString() : bodyText(p));
        if (t !== undefined) latencies.push(performance.now() - t);
      };
    }
    // Warm-up: the first pushes pay for connection setup in every hop.
    for (let i = 0; i < 20; i++) await post(`${o.logicUrl}/goim/push/mids?operation=1000&mids=${o.firstMid + (i % o.clients)}`, `warm-${i}`);
    await sleep(1_000);
    for (const c of conns) c.received.splice(0);
    o.log(`    pushing ${o.pushes} messages at ${o.rate}/s to ${o.clients} users...`);
    await schedule(o.pushes, o.rate, async (i) => {
      const body = `m-${i}`;
      const t0 = performance.now();
      sentAt.set(body, t0);
      const res = await post(`${o.logicUrl}/goim/push/mids?operation=1000&mids=${o.firstMid + (i % o.clients)}`, body);
      http.push(performance.now() - t0);
      if (res.status !== 200) httpErrors++;
      if (i > 0 && i % Math.ceil(o.pushes / 5) === 0) o.log(`      ${i}/${o.pushes} sent, ${latencies.length} received`);
    });
    const deadline = Date.now() + 30_000;
    while (latencies.length < o.pushes && Date.now() < deadline) await sleep(50);
    return { latencies, http, httpErrors };
  } finally {
    for (const c of conns) c.close();
  }
}

/**
 * Room push latency at a fixed rate through the full path to the whole fan-out room, timed at the
 * sampled member connections (their clock and ours are the same machine's wall clock).
 */
export async function roomLatency(pool: ClientPool, send: Send, o: { rate: number; count: number; bodySize: number; seq: () => number; log: (line: string) => void }): Promise<LatencyResult> {
  await pool.samples(true);
  const base = (await pool.snapshot()).msgs;
  let errors = 0;
  o.log(`    pushing ${o.count} room messages at ${o.rate}/s to ${pool.size} members...`);
  await schedule(o.count, o.rate, (i) => {
    if (i > 0 && i % Math.ceil(o.count / 5) === 0) o.log(`      ${i}/${o.count} sent`);
    return send(messageBody(o.seq(), wallMs(), o.bodySize)).catch(() => errors++);
  });
  const deadline = Date.now() + 30_000;
  while (pool.received - base < o.count * pool.size && Date.now() < deadline) await sleep(50);
  const rep = await pool.samples(false);
  return summarize(`push to a room of ${pool.size.toLocaleString('en-US')}`, o.rate, o.count, rep.latencies, errors);
}
