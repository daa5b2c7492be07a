import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetricsRegistry, Env } from '@imgate/common';
import type { logic } from '@imgate/contracts';
import { decodeUpstreamMsg } from '@imgate/contracts';
import { MemoryQueue } from '@imgate/queue';
import { MemoryIdempotencyRepository } from './delivery/memory-idempotency.repository';
import { loadLogicConfig } from './logic.config';
import { LogicMetrics } from './logic.metrics';
import { UpstreamService } from './upstream.service';

const req = (over: Partial<logic.ReceiveReq__Output>): logic.ReceiveReq__Output => ({
  mid: 1, key: 'k1', server: 'comet-a', roomId: '', operation: 4, seq: 1, body: Buffer.from('hi'), clientMsgId: '', ...over,
});

describe('UpstreamService', () => {
  it('writes an op-30 message once per sender and client message id', async () => {
    const clock = { now: () => 1 };
    const config = loadLogicConfig(new Env({ LOGIC_AUTH_MODE: 'dev', IMGATE_ALLOW_DEV_AUTH: '1', LOGIC_API_AUTH: 'none', CLUSTER_AUTH: 'none' }));
    const queue = new MemoryQueue();
    const upstream = new UpstreamService(queue, new MemoryIdempotencyRepository(clock), config, clock, new LogicMetrics(createMetricsRegistry()));
    const first = await upstream.receive(req({ clientMsgId: 'm-1' }));
    assert.equal(first.duplicate, undefined);
    assert.deepEqual(await upstream.receive(req({ clientMsgId: 'm-1', key: 'k2' })), { duplicate: true }, 'same user, another connection');
    await upstream.receive(req({ clientMsgId: 'm-1', mid: 2 }));
    await upstream.receive(req({ mid: 0, key: 'anon', clientMsgId: 'm-1' }));
    await upstream.receive(req({}));
    await upstream.receive(req({}));
    const written = queue.topic(config.infra.upstreamTopic).records.map((r) => decodeUpstreamMsg(r.value));
    assert.deepEqual(written.map((m) => [m.mid, m.clientMsgId]), [[1, 'm-1'], [2, 'm-1'], [0, 'm-1'], [1, ''], [1, '']]);
    await assert.rejects(upstream.receive(req({ clientMsgId: 'x'.repeat(65) })), /client message id/);
  });
});
