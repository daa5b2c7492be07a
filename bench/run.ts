// imgate's benchmark harness: `npm run bench` (full) or `npm run bench -- --quick`.
// Memory per connection, room fan-out and push latency, each beside a baseline measured in the
// same run; prints progress and a table, writes docs/benchmarks.md and docs/benchmarks/results.svg.
// Options: --quick, --rounds N, --members N (fan-out room and first memory point), --settle S
// (seconds before each memory sample), --credit N (messages the driver may run ahead), --no-doc,
// --report <results.json> (rewrite the docs from a saved run), --memory-only (the memory section
// and the heap snapshots, printed, no docs: for working on per-connection memory), --streams-only
// (reliable delivery on vs off alone, printed, no docs).
import 'reflect-metadata';
import { freePorts, repoRoot } from '@imgate/testing';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchCluster, scrape, serverFlags, startBenchCluster } from './lib/cluster';
import { ClientPool } from './lib/client-pool';
import { infraPids } from './lib/cpu';
import { machine } from './lib/machine';
import { BenchProc, distDir, killAllNow, stopAll } from './lib/procs';
import { findProfile, summarizeProfile } from './lib/profile';
import { writeDocs } from './lib/docs';
import { type BenchResults, consoleTable, type ProfileReport, sys } from './lib/report';
import { type FanoutSystem, prime, runFanout, type SystemKey } from './sections/fanout';
import { type LatencyResult, midsLatency, roomLatency } from './sections/latency';
import { ipcMemory, measureMemory, type MemResult } from './sections/memory';
import { sleep } from './lib/stats';
import { heapBreakdown, type HeapBreakdown } from './sections/heap';
import { streamsSection, type StreamsOptions } from './sections/streams';
import { streamsConsole } from './lib/report-streams';
import { bareSender, cometSender, httpRoomSender, sioSender } from './sections/senders';

const BODY = 128;

const PER_PROCESS = 2_500;
const SAMPLE_EVERY = 250;
/** Descriptors a server process needs beside its client sockets. */
const FD_MARGIN = 200;

interface Mode {
  name: 'quick' | 'full';
  members: number;
  memMax: number;
  rounds: number;
  warmupMs: number;
  windowMs: number;
  settleMs: number;
  /** How many messages the fan-out driver may run ahead of the average member. */
  credit: number;
  mids: { pushes: number; rate: number };
  room: { rate: number; count: number };
}

function argValue(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}

function mode(): Mode {
  const quick = process.argv.includes('--quick');
  const m: Mode = quick
    ? { name: 'quick', members: 5_000, memMax: 10_000, rounds: 3, warmupMs: 2_000, windowMs: 3_000, settleMs: 30_000, credit: 64, mids: { pushes: 1_000, rate: 200 }, room: { rate: 20, count: 100 } }
    : { name: 'full', members: 10_000, memMax: 20_000, rounds: 5, warmupMs: 3_000, windowMs: 5_000, settleMs: 30_000, credit: 64, mids: { pushes: 6_000, rate: 200 }, room: { rate: 20, count: 600 } };
  const members = argValue('members');
  if (members) {
    m.members = members;
    m.memMax = 2 * members;
  }
  m.rounds = argValue('rounds') ?? m.rounds;
  m.settleMs = (argValue('settle') ?? m.settleMs / 1000) * 1000;
  m.credit = argValue('credit') ?? m.credit;
  return m;
}

const started = Date.now();
function log(line: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[${s}s] ${line}`);
}

async function main(): Promise<void> {
  const m = mode();
  const mach = machine();
  const notes: string[] = [];
  const cores = Number(mach.nproc) || 2;
  const fdCap = Math.floor((mach.nofile.soft - FD_MARGIN) / 100) * 100;
  if (m.memMax > fdCap) {
    notes.push(
      `memory: the second point is ${fdCap.toLocaleString('en-US')} connections, not ${m.memMax.toLocaleString('en-US')}: one process may open ${mach.nofile.soft} files here (hard limit ${mach.nofile.hard}; raising it needs CAP_SYS_RESOURCE, which this machine does not grant), and the server needs ${FD_MARGIN} descriptors to spare.`,
    );
    m.memMax = fdCap;
  }
  if (m.members > m.memMax) throw new Error(`--members ${m.members} exceeds the ${m.memMax} connections one process may hold here`);
  const out = join(repoRoot(), 'test-output', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const profileDir = join(out, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  log(`imgate bench, ${m.name} mode: ${cores} cores, Node ${mach.node}, ${mach.cpu}; logs and profiles in ${out}`);
  log(`  memory at ${m.members} and ${m.memMax} connections; fan-out to ${m.members} members, ${m.rounds} rounds of ${m.warmupMs / 1000}+${m.windowMs / 1000} s; latency at ${m.mids.rate}/s and ${m.room.rate}/s`);

  const streamsOpts: StreamsOptions = {
    logDir: out,
    profileDir,
    members: m.members,
    settleMs: m.settleMs,
    rounds: m.rounds,
    fanout: { bodySize: BODY, credit: m.credit, warmupMs: m.warmupMs, windowMs: m.windowMs, drainMs: 30_000, cores },
    mids: m.mids,
    pool: { perProcess: PER_PROCESS, sampleEvery: SAMPLE_EVERY, bodySize: BODY },
  };
  if (process.argv.includes('--streams-only')) {
    log('reliable delivery: streams on vs off (only)');
    const streams = await streamsSection(streamsOpts, log);
    writeFileSync(join(out, 'streams.json'), JSON.stringify(streams, null, 2));
    console.log(streamsConsole(streams).join('\n'));
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return;
  }

  const flags = serverFlags(profileDir);
  const pools: ClientPool[] = [];
  let cluster: BenchCluster | undefined;
  try {
    // ---- servers ------------------------------------------------------------------------------
    log('[1/5] starting servers: logic, comet, job (real Redis + Kafka) and a bare ws server');
    cluster = await startBenchCluster({ logDir: out, profileDir });
    const [barePort, sioPort] = await freePorts(2);
    const bare = new BenchProc('bare-ws', join(distDir(), 'bench/baselines/bare-ws.js'), { execArgv: flags, args: [String(barePort)], logFile: join(out, 'bare-ws.log'), cwd: out });
    await bare.next('ready', 10_000);

    // ---- memory -------------------------------------------------------------------------------
    log(`[2/5] memory per idle authenticated connection at ${m.members} and ${m.memMax}`);
    const clientBase = { perProcess: PER_PROCESS, sampleEvery: SAMPLE_EVERY, bodySize: BODY, logDir: out };
    const mem = await measureMemory(
      [
        { label: 'comet', name: 'comet', measure: ipcMemory(cluster.comet.proc), pool: { ...clientBase, kind: 'imgate', port: cluster.comet.ws, path: '/sub' }, room: 'live://bench', idleRoom: 'live://idle', firstMid: 2_000_000 },
        { label: 'bare ws', name: 'bare', measure: ipcMemory(bare), pool: { ...clientBase, kind: 'bare', port: barePort, path: '/sub' }, room: 'bench', idleRoom: 'idle', firstMid: 1_000_000 },
      ],
      [m.members, m.memMax],
      m.settleMs,
      log,
    );
    pools.push(...mem.pools);
    const [cometMem, bareMem] = [{ result: mem.results[0], pool: mem.pools[0] }, { result: mem.results[1], pool: mem.pools[1] }];
    if (process.argv.includes('--memory-only')) {
      await memoryOnly(cluster, bare, cometMem.pool, bareMem.pool, [cometMem.result, bareMem.result], out);
      return;
    }

    // ---- fan-out ------------------------------------------------------------------------------
    log(`[3/5] room fan-out to ${m.members} members: starting Socket.IO (server + publisher, Redis adapter)`);
    const key = `bench-sio-${cluster.run}`;
    const sioServer = new BenchProc('socketio-server', join(distDir(), 'bench/baselines/socketio-server.js'), {
      execArgv: flags,
      args: [String(sioPort), key, 'bench'],
      env: { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      logFile: join(out, 'socketio-server.log'),
    });
    await sioServer.next('ready', 15_000);
    const publisher = new BenchProc('socketio-publisher', join(distDir(), 'bench/baselines/socketio-publisher.js'), {
      execArgv: flags,
      args: [key, 'bench'],
      env: { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      logFile: join(out, 'socketio-publisher.log'),
    });
    await publisher.next('ready', 15_000);
    // Socket.IO's memory per connection is for reference only (full mode: it costs two settles).
    const sioMeasure = ipcMemory(sioServer);
    const sioBase = m.name === 'full' ? await sleep(m.settleMs).then(sioMeasure) : undefined;
    const sioPool = await ClientPool.start({ ...clientBase, name: 'sio', kind: 'sio', port: sioPort, path: '/socket.io/?EIO=4&transport=websocket', total: m.members, room: 'bench', firstMid: 3_000_000 }, log);
    pools.push(sioPool);
    let sioMem: MemResult | undefined;
    if (sioBase) {
      const at = await sleep(m.settleMs).then(sioMeasure);
      sioMem = {
        label: 'Socket.IO 4 (for reference)',
        base: sioBase,
        points: [{ connections: m.members, rssPerConn: (at.rss - sioBase.rss) / m.members, heapPerConn: (at.heap - sioBase.heap) / m.members, sample: at }],
      };
    }

    const infra = infraPids();
    // comet alone and the full path reach the same clients, so they continue one sequence.
    const cometSeq = { n: 0 };
    const c = cluster;
    const systems: FanoutSystem[] = [
      { key: 'bare', label: 'bare ws (ceiling)', pool: bareMem.pool, send: bareSender(bare, 'bench'), maxInFlight: 2, seq: { n: 0 }, cpu: () => ({ server: [bare.pid], clients: bareMem.pool.pids() }) },
      { key: 'comet', label: 'comet alone (gRPC)', pool: cometMem.pool, send: cometSender(c.comet.client, 'live://bench'), maxInFlight: 2, seq: cometSeq, cpu: () => ({ server: [c.comet.proc.pid], clients: cometMem.pool.pids() }) },
      {
        key: 'full',
        label: 'full path (HTTP→Kafka→job→comet)',
        pool: cometMem.pool,
        send: httpRoomSender(c.logicUrl, 'live', 'bench', 32),
        maxInFlight: 32,
        seq: cometSeq,
        cpu: () => ({ server: [c.comet.proc.pid], pipeline: [c.logic.pid, c.job.pid], kafka: infra.kafka, redis: infra.redis, clients: cometMem.pool.pids() }),
      },
      { key: 'sio', label: 'Socket.IO 4 + Redis adapter', pool: sioPool, send: sioSender(publisher), maxInFlight: 2, seq: { n: 0 }, cpu: () => ({ server: [sioServer.pid], pipeline: [publisher.pid], redis: infra.redis, clients: sioPool.pids() }) },
    ];
    log('    priming each system (a few messages end to end)');
    for (const s of systems) await prime(s, BODY, 60_000);
    const fanout = await runFanout(systems, m.rounds, { bodySize: BODY, credit: m.credit, warmupMs: m.warmupMs, windowMs: m.windowMs, drainMs: 30_000, cores }, log);
    for (const s of fanout) if (s.verify.gaps || s.verify.dups || s.verify.bad) notes.push(`${s.label}: sampled connections saw ${s.verify.gaps} missing, ${s.verify.dups} repeated and ${s.verify.bad} malformed messages.`);
    // The full path's order is the order logic took concurrent HTTP requests in, not the send order.
    for (const s of fanout) if (s.key !== 'full' && s.verify.reordered) notes.push(`${s.label}: ${s.verify.reordered} messages arrived after a later one at sampled connections.`);

    // ---- latency ------------------------------------------------------------------------------
    log('[4/5] what a connection keeps on the heap (snapshots), then push latency through the full path');
    await sioPool.close();
    await Promise.all([sioServer.stop(), publisher.stop()]);
    const heaps: HeapBreakdown[] = [];
    heaps.push(await bareHeap(bare, bareMem.pool, out));
    await bare.stop();
    const latency: LatencyResult[] = [];
    latency.push(
      await midsLatency({ logicUrl: c.logicUrl, wsUrl: c.comet.wsUrl, pushes: m.mids.pushes, rate: m.mids.rate, clients: 20, firstMid: 9_000_000, authBody: async (mid) => ({ mid, accepts: [1000] }), log }),
    );
    log(`    to a user: p50 ${latency[0].p50.toFixed(1)} ms, p99 ${latency[0].p99.toFixed(1)} ms, p999 ${latency[0].p999.toFixed(1)} ms`);
    const full = systems.find((s) => s.key === 'full')!;
    latency.push(await roomLatency(cometMem.pool, full.send, { rate: m.room.rate, count: m.room.count, bodySize: BODY, seq: () => full.seq.n++, log }));
    log(`    to the room: p50 ${latency[1].p50.toFixed(1)} ms, p99 ${latency[1].p99.toFixed(1)} ms, p999 ${latency[1].p999.toFixed(1)} ms`);

    heaps.unshift(await cometHeap(c, cometMem.pool, out));

    // ---- profiles and report ------------------------------------------------------------------
    log('stopping the first cluster');
    await c.stop();
    cluster = undefined;

    // ---- reliable delivery: streams on vs off -------------------------------------------------
    log('[5/5] reliable delivery: streams on vs off (two more clusters, the first one stopped)');
    const streams = await streamsSection(streamsOpts, log);
    for (const s of streams.fanout) if (s.verify.gaps || s.verify.dups || s.verify.bad) notes.push(`${s.label}: sampled connections saw ${s.verify.gaps} missing, ${s.verify.dups} repeated and ${s.verify.bad} malformed messages.`);
    for (const l of [streams.latency.on, streams.latency.off]) if (l.samples < l.sent || l.httpErrors) notes.push(`${l.label}: ${l.samples} of ${l.sent} pushes timed, ${l.httpErrors} HTTP errors.`);
    log('reading CPU profiles');
    const windows = (k: SystemKey) => sys({ fanout } as BenchResults, k)?.runs.map((r) => r.window) ?? [];
    const profiles: ProfileReport[] = [];
    const addProfile = (system: SystemKey, name: string, pid: number) => {
      const file = findProfile(profileDir, pid);
      if (file) profiles.push({ system, process: name, summary: summarizeProfile(file, windows(system)) });
      else notes.push(`no CPU profile found for ${name} (pid ${pid})`);
    };
    addProfile('bare', 'bare ws server', bare.pid);
    addProfile('comet', 'comet', c.comet.proc.pid);
    addProfile('full', 'comet', c.comet.proc.pid);
    addProfile('full', 'logic', c.logic.pid);
    addProfile('full', 'job', c.job.pid);
    addProfile('sio', 'Socket.IO server', sioServer.pid);

    const results: BenchResults = {
      mode: m.name,
      command: m.name === 'quick' ? 'npm run bench -- --quick' : 'npm run bench',
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      durationS: (Date.now() - started) / 1000,
      machine: mach,
      bodySize: BODY,
      credit: m.credit,
      sampleEvery: SAMPLE_EVERY,
      rounds: m.rounds,
      warmupMs: m.warmupMs,
      windowMs: m.windowMs,
      memory: { comet: cometMem.result, bare: bareMem.result, sio: sioMem },
      heaps,
      fanout,
      latency,
      profiles,
      streams,
      notes,
    };
    writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
    console.log(consoleTable(results));
    if (!process.argv.includes('--no-doc')) {
      writeDocs(results);
      log('wrote docs/benchmarks.md and docs/benchmarks/results.svg');
    }
    log(`done in ${results.durationS.toFixed(0)} s`);
  } finally {
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
    if (cluster) await cluster.stop().catch(() => undefined);
    await stopAll();
  }
}

/** What each comet connection keeps on the heap; the comet tells its connection count on /metrics. */
function cometHeap(c: BenchCluster, pool: ClientPool, out: string): Promise<HeapBreakdown> {
  const url = `http://127.0.0.1:${c.comet.http}/metrics`;
  const connections = async () => (await scrape(url, ['imgate_comet_connections'])).imgate_comet_connections ?? 0;
  return heapBreakdown('comet', c.comet.proc, pool, out, { responsive: () => scrape(url, []), connections }, log);
}

/** What each bare ws connection keeps on the heap; the bare server tells its session count over IPC. */
function bareHeap(bare: BenchProc, pool: ClientPool, out: string): Promise<HeapBreakdown> {
  const connections = async () => (await bare.request<{ sessions: number }>({ type: 'sessions' })).sessions;
  return heapBreakdown('bare ws', bare, pool, out, { responsive: connections, connections }, log);
}

/** `--memory-only`: the ratios and what each connection keeps, printed; nothing written to docs/. */
async function memoryOnly(c: BenchCluster, bare: BenchProc, cometPool: ClientPool, barePool: ClientPool, mem: MemResult[], out: string): Promise<void> {
  const [comet, base] = mem;
  for (let i = 0; i < comet.points.length; i++) {
    const [cp, bp] = [comet.points[i], base.points[i]];
    log(
      `  @ ${cp.connections}: heap ${(cp.heapPerConn / 1024).toFixed(2)} vs ${(bp.heapPerConn / 1024).toFixed(2)} KiB = ${(cp.heapPerConn / bp.heapPerConn).toFixed(2)}x; ` +
        `rss ${(cp.rssPerConn / 1024).toFixed(2)} vs ${(bp.rssPerConn / 1024).toFixed(2)} KiB = ${(cp.rssPerConn / bp.rssPerConn).toFixed(2)}x`,
    );
  }
  // The second pool just closed: let the servers finish closing it (close handshakes, up to 5 s;
  // comet's Disconnect calls to logic) so the snapshots do not count its leftovers.
  await sleep(10_000);
  const heaps = [await cometHeap(c, cometPool, out), await bareHeap(bare, barePool, out)];
  for (const h of heaps) {
    log(`  ${h.label}: ${h.total.toFixed(0)} B/conn on the heap`);
    for (const t of h.types.slice(0, 16)) log(`    ${JSON.stringify(t)}`);
  }
}

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping every process the bench started`);
    void stopAll().finally(() => process.exit(130));
  });
}

/** `--report <results.json>`: rewrite the docs from a saved run (no measuring). */
function reportOnly(file: string): void {
  const r = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  console.log(consoleTable(r));
  writeDocs(r);
}

const reportFrom = process.argv.indexOf('--report');
(reportFrom >= 0 ? Promise.resolve().then(() => reportOnly(process.argv[reportFrom + 1])) : main()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
