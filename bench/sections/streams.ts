// Reliable delivery's cost (issue 11): two clusters side by side, the same build, one with logic's
// default streams and clients that opted in (op 27), the other with LOGIC_STREAMS=off and goim
// clients. Memory per idle connection, room fan-out through the full path and push latency to
// users, each on vs off in this one run.
import { type BenchCluster, startBenchCluster } from '../lib/cluster';
import type { ClientPool } from '../lib/client-pool';
import { infraPids } from '../lib/cpu';
import { prime, runFanout, type FanoutOptions, type FanoutSystem, type SystemResult } from './fanout';
import { type LatencyResult, midsSamples, type MidsSamples, summarize } from './latency';
import { ipcMemory, measureMemory, type MemResult } from './memory';
import { httpRoomSender } from './senders';

export interface StreamsResult {
  members: number;
  memory: { on: MemResult; off: MemResult };
  /** Keys `streams-on` and `streams-off`. */
  fanout: SystemResult[];
  latency: { on: LatencyResult; off: LatencyResult };
}

export interface StreamsOptions {
  logDir: string;
  profileDir: string;
  members: number;
  settleMs: number;
  rounds: number;
  fanout: FanoutOptions;
  mids: { pushes: number; rate: number };
  pool: { perProcess: number; sampleEvery: number; bodySize: number };
}

const ROOM = 'live://bench';

export async function streamsSection(o: StreamsOptions, log: (line: string) => void): Promise<StreamsResult> {
  const clusters: BenchCluster[] = [];
  let pools: ClientPool[] = [];
  try {
    log('    starting two clusters: logic with streams (default) and with LOGIC_STREAMS=off, each with its comet and job');
    const on = await startBenchCluster({ logDir: o.logDir, profileDir: o.profileDir, label: 'streams-on' });
    clusters.push(on);
    const off = await startBenchCluster({ logDir: o.logDir, profileDir: o.profileDir, label: 'streams-off', logicEnv: { LOGIC_STREAMS: 'off' } });
    clusters.push(off);

    log(`    memory per idle authenticated connection at ${o.members}: opted-in clients on one comet, goim clients on the other`);
    const base = { ...o.pool, logDir: o.logDir, kind: 'imgate' as const, path: '/sub' };
    const mem = await measureMemory(
      [
        { label: 'comet, opted-in clients (streams on)', name: 'streams-on', measure: ipcMemory(on.comet.proc), pool: { ...base, port: on.comet.ws, delivery: true }, room: ROOM, idleRoom: 'live://idle', firstMid: 4_000_000 },
        { label: 'comet, goim clients (streams off)', name: 'streams-off', measure: ipcMemory(off.comet.proc), pool: { ...base, port: off.comet.ws }, room: ROOM, idleRoom: 'live://idle', firstMid: 5_000_000 },
      ],
      [o.members],
      o.settleMs,
      log,
    );
    pools = mem.pools;
    const [onPool, offPool] = pools;

    log(`    room fan-out to ${o.members} members through the full path, streams on vs off`);
    const infra = infraPids();
    const system = (key: 'streams-on' | 'streams-off', label: string, c: BenchCluster, pool: ClientPool): FanoutSystem => ({
      key,
      label,
      pool,
      send: httpRoomSender(c.logicUrl, 'live', 'bench', 32),
      maxInFlight: 32,
      seq: { n: 0 },
      cpu: () => ({ server: [c.comet.proc.pid], pipeline: [c.logic.pid, c.job.pid], kafka: infra.kafka, redis: infra.redis, clients: pool.pids() }),
    });
    const systems = [system('streams-on', 'full path, streams on (op 27)', on, onPool), system('streams-off', 'full path, streams off (goim)', off, offPool)];
    for (const s of systems) await prime(s, o.pool.bodySize, 60_000);
    const fanout = await runFanout(systems, o.rounds, o.fanout, log);

    log(`    push latency to users, ${o.mids.pushes} pushes at ${o.mids.rate}/s on each side, streams on vs off`);
    // In halves, off-on-on-off, so drift on a shared machine favours neither side.
    const half = Math.ceil(o.mids.pushes / 2);
    const samples = { on: [] as MidsSamples[], off: [] as MidsSamples[] };
    for (const [i, side] of (['off', 'on', 'on', 'off'] as const).entries()) {
      const c = side === 'on' ? on : off;
      const firstMid = (side === 'on' ? 9_000_000 : 9_100_000) + (i >> 1) * 100;
      const authBody = async (mid: number) => ({ mid, accepts: [1000], ...(side === 'on' ? { delivery: true } : {}) });
      const x = await midsSamples({ logicUrl: c.logicUrl, wsUrl: c.comet.wsUrl, pushes: half, rate: o.mids.rate, clients: 20, firstMid, authBody, log });
      samples[side].push(x);
      const h = summarize(side, o.mids.rate, half, x.latencies, x.httpErrors, x.http);
      log(`      streams ${side}: p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms; HTTP answer p50 ${h.httpP50?.toFixed(1)} ms, p99 ${h.httpP99?.toFixed(1)} ms`);
    }
    const pooled = (side: 'on' | 'off', label: string): LatencyResult => {
      const xs = samples[side];
      return summarize(label, o.mids.rate, half * xs.length, xs.flatMap((x) => x.latencies), xs.reduce((a, x) => a + x.httpErrors, 0), xs.flatMap((x) => x.http));
    };
    const onLat = pooled('on', 'push to a user, streams on (op 27)');
    const offLat = pooled('off', 'push to a user, streams off (goim)');
    for (const l of [onLat, offLat]) log(`    ${l.label}: p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms (${l.samples}/${l.sent} received)`);
    return { members: o.members, memory: { on: mem.results[0], off: mem.results[1] }, fanout, latency: { on: onLat, off: offLat } };
  } finally {
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
    for (const c of clusters) await c.stop().catch(() => undefined);
  }
}
