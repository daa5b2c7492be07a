// The chaos test of issue 11: SDK clients with reliable delivery on two comets behind resetting
// proxies, pushes by mid and by room while a comet is killed, job is killed and a comet drains.
// Every accepted message must reach every receiver once, in stream order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImgateClient, type RecoveryFailedEvent } from '@imgate/sdk';
import { apiHeaders, type Cluster, type CometHandle, RoleProcess, signHs256, startCluster, TcpProxy, testOutputDir, waitFor, waitHttpOk } from '@imgate/testing';

const CLIENTS = 40;
const PUSHES = 420; // of each kind, at least
const MAX_PUSHES = 1_000;
const RATE_MS = 25; // 40/s of each kind
const ROOM = 'live://chaos';
const MID_BASE = 91_000;

interface Seen {
  op: number;
  stream: string;
  offset: bigint;
  id: string;
  at: number;
}

interface Tracked {
  mid: number;
  transport: 'ws' | 'tcp';
  client: ImgateClient;
  seen: Seen[];
  recoveryFailed: RecoveryFailedEvent[];
  connects: number[];
  drops: Array<{ at: number; code: string; node: string }>;
}

interface Accepted {
  id: string;
  kind: 'mid' | 'room';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reliable delivery under chaos: resets, a killed comet, a killed job, a drain', () => {
  let cluster: Cluster;
  const proxies = new Map<string, { ws: TcpProxy; tcp: TcpProxy }>();
  const restarted: RoleProcess[] = [];
  const tracked: Tracked[] = [];

  before(async () => {
    cluster = await startCluster({ name: 'delivery-chaos', comets: 2, env: { COMET_DRAIN_TIMEOUT_MS: '8000' } });
    for (const c of cluster.comets) proxies.set(c.id, { ws: await TcpProxy.start(c.ws), tcp: await TcpProxy.start(c.tcp) });
  });
  after(async () => {
    tracked.forEach((t) => t.client.close());
    await Promise.all([...proxies.values()].flatMap((p) => [p.ws.close(), p.tcp.close()]));
    await Promise.all(restarted.map((p) => p.stop()));
    await cluster?.stop();
  });

  /** Starts a role again with the env it had (same id and ports), and waits until it is ready. */
  async function restartComet(c: CometHandle): Promise<void> {
    const proc = new RoleProcess(c.proc.name, 'comet', c.proc.env, testOutputDir('delivery-chaos')).start();
    restarted.push(proc);
    c.proc = proc;
    await waitHttpOk(`http://127.0.0.1:${c.http}/health/ready`, 30_000, proc);
  }

  function track(i: number): Tracked {
    const mid = MID_BASE + i;
    const transport = i % 2 === 0 ? 'ws' : 'tcp';
    // Half start on each comet; the other comet is the fallback.
    const order = i % 4 < 2 ? cluster.comets : [...cluster.comets].reverse();
    const nodes = order.map((c) => {
      const p = proxies.get(c.id)!;
      return transport === 'ws' ? `ws://127.0.0.1:${p.ws.port}/sub` : `tcp://127.0.0.1:${p.tcp.port}`;
    });
    const client = new ImgateClient({
      token: () => signHs256({ mid }),
      nodes,
      room: ROOM,
      accepts: [1000],
      delivery: true,
      watchNetwork: false,
      // Connections reset every few seconds never count as stable (backoff.stableMs): without a
      // low cap the backoff would reach 30 s, longer than the room's history lasts at 40/s.
      backoff: { baseMs: 300, capMs: 3_000 },
      nodeSkipMs: 3_000,
    });
    const t: Tracked = { mid, transport, client, seen: [], recoveryFailed: [], connects: [], drops: [] };
    client.on('message', (m) => t.seen.push({ op: m.op, stream: m.stream ?? '', offset: BigInt(m.offset ?? '0'), id: m.id ?? '', at: Date.now() }));
    client.on('recoveryFailed', (e) => t.recoveryFailed.push(e));
    client.on('connected', () => t.connects.push(Date.now()));
    client.on('disconnected', (e) => t.drops.push({ at: Date.now(), code: e.code, node: e.node }));
    tracked.push(t);
    return t;
  }

  it(`${CLIENTS} WS and TCP clients get every accepted push by mid and by room once and in order`, async () => {
    const clients = Array.from({ length: CLIENTS }, (_, i) => track(i));
    await Promise.all(clients.map((t) => t.client.connect()));
    const mids = clients.map((t) => t.mid).join(',');

    // Traffic: one push of each kind every RATE_MS; a push answered non-200 is retried with its
    // idempotency key (the same id, never a second message) until it is accepted or given up.
    const accepted: Accepted[] = [];
    let refused = 0;
    let givenUp = 0;
    const push = async (kind: 'mid' | 'room', n: number): Promise<void> => {
      const path = kind === 'mid' ? `/goim/push/mids?operation=1000&mids=${mids}` : '/goim/push/room?operation=1000&type=live&room=chaos';
      const tag = `${kind}-${n}`;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const res = await fetch(`${cluster.logic.url}${path}`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': `chaos-${tag}`, ...apiHeaders() },
            body: tag,
            signal: AbortSignal.timeout(5_000),
          });
          const json = (await res.json()) as { data?: { id?: string } };
          if (res.status === 200 && json.data?.id) {
            accepted.push({ id: json.data.id, kind });
            return;
          }
        } catch {
          // a timeout or a refused connection: not accepted either
        }
        refused++;
        await sleep(200);
      }
      givenUp++;
    };
    // Disruptions on their own timeline; the traffic runs until they are over (at least PUSHES
    // of each kind, at most MAX_PUSHES), so every one of them happens while pushes flow.
    const t0 = Date.now();
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
    let disrupting = true;
    const inflight: Array<Promise<void>> = [];
    const traffic = (async () => {
      let n = 0;
      for (; n < MAX_PUSHES && (n < PUSHES || disrupting); n++) {
        inflight.push(push('mid', n));
        await sleep(RATE_MS / 2);
        inflight.push(push('room', n));
        await sleep(RATE_MS / 2);
      }
      mark(`traffic ends after ${n} pushes of each kind`);
      await Promise.all(inflight);
    })();
    let trafficDone = false;
    void traffic.finally(() => (trafficDone = true));
    const resets = (async () => {
      for (let round = 0; round < 60 && !trafficDone; round++) {
        await sleep(1_000 + Math.random() * 1_000);
        let n = 0;
        for (const p of proxies.values()) n += p.ws.resetSome(0.1) + p.tcp.resetSome(0.1);
        mark(`proxies reset ${n}`);
      }
    })();
    const [killed, drained] = cluster.comets;
    const cometKill = (async () => {
      await sleep(1_500);
      await killed.proc.kill('SIGKILL');
      mark(`${killed.proc.name} SIGKILLed`);
      await sleep(2_000);
      await restartComet(killed);
      mark(`${killed.proc.name} restarted`);
    })();
    const jobKill = (async () => {
      await sleep(3_000);
      await cluster.job.proc.kill('SIGKILL');
      mark('job SIGKILLed');
      await sleep(1_500);
      await cluster.startJob();
      mark('job restarted');
    })();
    const drain = (async () => {
      await cometKill;
      await sleep(1_000);
      // Its clients move by op 20 (to the other comet's own listeners); then it comes back.
      mark(`${drained.proc.name} SIGTERM (drain)`);
      const exit = await drained.proc.kill('SIGTERM');
      mark(`${drained.proc.name} drained, exit ${exit.code ?? exit.signal}`);
      assert.equal(exit.code, 0, `the draining comet exited with ${exit.code ?? exit.signal}`);
      await restartComet(drained);
      mark(`${drained.proc.name} restarted`);
    })();
    try {
      await Promise.all([cometKill, jobKill, drain]);
    } finally {
      disrupting = false;
    }
    await traffic;
    await resets;
    mark('traffic answered, resets over');

    // Afterwards: every client connected, asks for what followed its positions, and must hold everything.
    await waitFor(() => clients.every((t) => t.client.state === 'open'), 20_000, 'every client connected');
    mark('every client connected');
    clients.forEach((t) => t.client.recover());
    const midIds = accepted.filter((a) => a.kind === 'mid').map((a) => a.id);
    const roomIds = accepted.filter((a) => a.kind === 'room').map((a) => a.id);
    const missing = (t: Tracked): number => {
      const user = new Set(t.seen.filter((s) => s.stream === `u:${t.mid}`).map((s) => s.id));
      const room = new Set(t.seen.filter((s) => s.stream === `r:${ROOM}`).map((s) => s.id));
      return midIds.filter((id) => !user.has(id)).length + roomIds.filter((id) => !room.has(id)).length;
    };
    const settled = Date.now();
    await waitFor(() => clients.every((t) => missing(t) === 0), 30_000, 'every client to hold every accepted message').catch(() => undefined);
    mark(`all clients settled ${Date.now() - settled} ms after recover()`);

    const rows = clients.map((t) => {
      const ids = new Map<string, number>();
      t.seen.forEach((s) => ids.set(s.id, (ids.get(s.id) ?? 0) + 1));
      const last = new Map<string, bigint>();
      let outOfOrder = 0;
      for (const s of t.seen) {
        const prev = last.get(s.stream);
        if (prev !== undefined && s.offset <= prev) outOfOrder++;
        last.set(s.stream, s.offset);
      }
      return {
        transport: t.transport,
        lost: missing(t),
        duplicated: [...ids.values()].reduce((sum, n) => sum + n - 1, 0),
        outOfOrder,
        recoveryFailed: t.recoveryFailed.length,
        received: t.seen.length,
        connects: t.connects.length,
      };
    });
    const total = (rs: typeof rows) => ({
      clients: rs.length,
      expected: rs.length * (midIds.length + roomIds.length),
      received: rs.reduce((s, r) => s + r.received, 0),
      lost: rs.reduce((s, r) => s + r.lost, 0),
      duplicated: rs.reduce((s, r) => s + r.duplicated, 0),
      outOfOrder: rs.reduce((s, r) => s + r.outOfOrder, 0),
      recoveryFailed: rs.reduce((s, r) => s + r.recoveryFailed, 0),
      connects: rs.reduce((s, r) => s + r.connects, 0),
    });
    const table = {
      ws: total(rows.filter((r) => r.transport === 'ws')),
      tcp: total(rows.filter((r) => r.transport === 'tcp')),
      all: total(rows),
    };
    const proxyResets = [...proxies.values()].reduce((s, p) => s + p.ws.resets + p.tcp.resets, 0);
    console.log(`chaos timeline:\n  ${timeline.join('\n  ')}`);
    console.log(`chaos: accepted ${midIds.length} by mid + ${roomIds.length} by room; ${refused} answers non-200 (retried), ${givenUp} given up; ${proxyResets} proxy resets`);
    const cols = ['clients', 'expected', 'received', 'lost', 'duplicated', 'outOfOrder', 'recoveryFailed', 'connects'] as const;
    console.log(['', ...cols].map((c) => c.padStart(15)).join(''));
    for (const [name, row] of Object.entries(table)) console.log([name, ...cols.map((c) => String(row[c]))].map((c) => c.padStart(15)).join(''));

    // What each client saw, for a failing run to be read afterwards.
    writeFileSync(join(testOutputDir('delivery-chaos'), 'clients.json'), JSON.stringify({ t0, accepted, clients: clients.map((t) => ({ ...t, client: undefined })) }, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
    assert.ok(midIds.length >= 400 && roomIds.length >= 400, `accepted ${midIds.length} by mid and ${roomIds.length} by room`);
    assert.equal(table.all.lost, 0, 'lost');
    assert.equal(table.all.duplicated, 0, 'duplicated');
    assert.equal(table.all.outOfOrder, 0, 'out of order');
    assert.ok(proxyResets > 0, 'the proxies reset connections');
  });
});
