// A seeded fuzz run in the suite (the full one is `npm run fuzz`, 1,000,000 frames): mutated frames
// over TCP, WebSocket and KCP and malformed HTTP and gRPC calls against a live embedded imgate.
// Afterwards the process is alive, clean clients on every transport work, the comet counted what it
// refused by reason, and the heap after GC is back near its baseline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FuzzTarget, runFuzz, startFuzzTarget } from '@imgate/testing';

const SEED = Number(process.env.IMGATE_FUZZ_SEED ?? 20261130);
const FRAMES = 20_000;

describe('fuzz (seeded, small)', () => {
  let target: FuzzTarget;
  before(async () => {
    target = await startFuzzTarget('fuzz-e2e');
  });
  after(async () => target?.stop());

  it(`${FRAMES} mutated frames on TCP, WebSocket and KCP plus malformed HTTP and gRPC: no crash, clean clients work, heap back near baseline`, async () => {
    const r = await runFuzz(target, { seed: SEED, frames: FRAMES, httpRequests: 200, grpcCalls: 200, concurrency: 8 });
    const { frames } = r.wire;
    console.log(`fuzz seed ${SEED}: frames tcp ${frames.tcp} ws ${frames.ws} kcp ${frames.kcp}; http ${JSON.stringify(r.api.http.status)}; grpc ${JSON.stringify(r.api.grpc.codes)}; refused ${JSON.stringify(r.refused)}; heap ${(r.heapBefore / 2 ** 20).toFixed(1)} → ${(r.heapAfter / 2 ** 20).toFixed(1)} MiB in ${r.seconds.toFixed(0)} s`);
    assert.equal(r.alive, true, 'the process is alive');
    assert.deepEqual(r.cleanClients, { tcp: true, ws: true, kcp: true });
    assert.ok(frames.tcp + frames.ws + frames.kcp >= FRAMES, 'the frames were sent');
    // Bad input ends connections with a reason the comet counts.
    const errors = r.refused.imgate_comet_protocol_errors_total ?? {};
    for (const reason of ['bad_header_len', 'packet_too_large', 'bad_checksum', 'op_before_auth']) assert.ok((errors[reason] ?? 0) > 0, `${reason} counted: ${JSON.stringify(errors)}`);
    assert.ok(Object.values(r.refused.imgate_comet_kcp_dropped_total ?? {}).reduce((a, b) => a + b, 0) > 0, 'bad KCP datagrams counted');
    // Malformed API calls are refused, never a server error (a connection the server cut after a
    // 413 shows as a network error on the client and is allowed).
    assert.equal(Object.keys(r.api.http.status).filter((s) => s.startsWith('5')).length, 0, JSON.stringify(r.api.http.status));
    assert.ok(r.heapAfter < r.heapBefore * 1.5, `heap after GC ${r.heapAfter} vs baseline ${r.heapBefore}`);
  });
});
