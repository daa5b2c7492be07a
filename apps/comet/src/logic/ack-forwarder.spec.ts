import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { AckForwarder } from './ack-forwarder';
import type { AckEntry, LogicClient } from './logic.client';

function forwarder(fail = false) {
  const calls: AckEntry[][] = [];
  const logic = {
    ack: async (acks: AckEntry[]) => {
      calls.push(acks);
      if (fail) throw new Error('unavailable');
      return { recorded: acks.length };
    },
  } as unknown as LogicClient;
  return { acks: new AckForwarder(logic, { ackFlushMs: 500 }, pino({ level: 'silent' })), calls };
}

describe('AckForwarder', () => {
  it('keeps the highest offset per user and device and sends them in one call', async () => {
    const { acks, calls } = forwarder();
    acks.add(7, 'phone', 'u:7', 5n);
    acks.add(7, 'phone', 'u:7', 9n);
    acks.add(7, 'phone', 'u:7', 8n);
    acks.add(7, 'web', 'u:7', 2n);
    acks.add(8, 'phone', 'u:8', 1n);
    await acks.flush();
    assert.deepEqual(calls, [
      [
        { mid: 7, device: 'phone', stream: 'u:7', offset: '9' },
        { mid: 7, device: 'web', stream: 'u:7', offset: '2' },
        { mid: 8, device: 'phone', stream: 'u:8', offset: '1' },
      ],
    ]);
    await acks.flush();
    assert.equal(calls.length, 1, 'nothing new: no call');
  });

  it('keeps the acks of a failed call for the next flush', async () => {
    const { acks, calls } = forwarder(true);
    acks.add(7, 'phone', 'u:7', 5n);
    await acks.flush();
    acks.add(7, 'phone', 'u:7', 4n);
    assert.equal(acks.size, 1);
    await acks.flush();
    assert.deepEqual(calls.map((c) => c.map((a) => a.offset)), [['5'], ['5']]);
  });

  it('flushes on shutdown', async () => {
    const { acks, calls } = forwarder();
    acks.onApplicationBootstrap();
    acks.add(7, 'phone', 'u:7', 3n);
    await acks.onApplicationShutdown();
    assert.equal(calls.length, 1);
  });
});
