import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { GrpcStatus, type RpcError } from '@imgate/common';
import { DeliveryService, type SyncStreamRequest } from './delivery.service';
import { MemoryAckRepository } from './memory-ack.repository';
import { MemoryStreamRepository } from './memory-stream.repository';

function setup() {
  const clock = { now: () => Date.UTC(2026, 5, 1) };
  const streams = new MemoryStreamRepository(clock);
  const acks = new MemoryAckRepository(streams, clock);
  const service = new DeliveryService(streams, acks, pino({ level: 'silent' }));
  const fill = (stream: string, n: number) =>
    streams.append(Array.from({ length: n }, (_, i) => ({ stream, id: 1000n + BigInt(i), operation: 1000, body: Buffer.from(`${stream}#${i + 1}`) })));
  return { service, streams, acks, fill };
}

const after = (stream: string, epoch: number, offset: number): SyncStreamRequest => ({ stream, epoch, offset, last: 0 });
const invalid = (reason: RegExp) => (err: RpcError) => err.code === GrpcStatus.INVALID_ARGUMENT && reason.test(err.message);

describe('DeliveryService', () => {
  it('syncs a user\'s own stream after a position and denies another user\'s', async () => {
    const { service, fill } = setup();
    const [{ epoch }] = await fill('u:1', 3);
    await fill('u:2', 1);
    const reply = await service.sync({ mid: 1, streams: [after('u:1', epoch, 1), after('u:2', 0, 0)], limit: 0 });
    assert.deepEqual(reply.messages.map((m) => [m.stream, m.epoch, m.offset, m.id, m.body.toString()]), [
      ['u:1', epoch, 2, '1001', 'u:1#2'],
      ['u:1', epoch, 3, '1002', 'u:1#3'],
    ]);
    assert.deepEqual(reply.results, [
      { stream: 'u:1', epoch, head: 3, status: 'ok', next: 0 },
      { stream: 'u:2', epoch: 0, head: 0, status: 'denied', next: 0 },
    ]);
  });

  it('shares the limit across streams in order, reporting more with the next offset', async () => {
    const { service, fill } = setup();
    const [{ epoch: ue }] = await fill('u:1', 3);
    const [{ epoch: re }] = await fill('r:live://1', 4);
    const [{ epoch: oe }] = await fill('r:live://2', 2);
    const reply = await service.sync({ mid: 1, streams: [after('u:1', ue, 0), { stream: 'r:live://1', epoch: 0, offset: 0, last: 3 }, after('r:live://2', oe, 0)], limit: 4 });
    assert.deepEqual(reply.messages.map((m) => `${m.stream}@${m.offset}`), ['u:1@1', 'u:1@2', 'u:1@3', 'r:live://1@2']);
    assert.deepEqual(reply.results, [
      { stream: 'u:1', epoch: ue, head: 3, status: 'ok', next: 0 },
      { stream: 'r:live://1', epoch: re, head: 4, status: 'more', next: 3 },
      { stream: 'r:live://2', epoch: oe, head: 2, status: 'more', next: 1 },
    ]);
  });

  it('reports lost for a changed epoch or a position past the head, with the current head', async () => {
    const { service, fill } = setup();
    const [{ epoch }] = await fill('u:1', 2);
    const reply = await service.sync({ mid: 1, streams: [after('u:1', epoch + 1 || 1, 1), after('r:gone', 5, 9)], limit: 10 });
    assert.equal(reply.messages.length, 0);
    assert.deepEqual(reply.results, [
      { stream: 'u:1', epoch, head: 2, status: 'lost', next: 0 },
      { stream: 'r:gone', epoch: 0, head: 0, status: 'lost', next: 0 },
    ]);
  });

  it('refuses bad stream names, limits and too many streams', async () => {
    const { service } = setup();
    await assert.rejects(service.sync({ mid: 1, streams: [after('x:1', 0, 0)], limit: 0 }), invalid(/not a stream name/));
    await assert.rejects(service.sync({ mid: 1, streams: [after('u:1', 0, 0)], limit: 501 }), invalid(/limit 501/));
    await assert.rejects(service.sync({ mid: 1, streams: [{ ...after('u:1', 0, 0), last: -1 }], limit: 0 }), invalid(/last -1/));
    const many = Array.from({ length: 65 }, (_, i) => after(`r:${i}`, 0, 0));
    await assert.rejects(service.sync({ mid: 1, streams: many, limit: 0 }), invalid(/at most 64/));
  });

  it('records acks only for each entry\'s own user stream and reports them per device', async () => {
    const { service, fill } = setup();
    const [{ epoch }] = await fill('u:5', 10);
    const acked = await service.ack([
      { mid: 5, device: 'phone', stream: 'u:5', offset: 7 },
      { mid: 5, device: 'web', stream: 'u:5', offset: 10 },
      { mid: 5, device: 'phone', stream: 'u:6', offset: 9 },
      { mid: 5, device: 'tab', stream: 'r:live://1', offset: 3 },
      { mid: 5, device: 'bad device', stream: 'u:5', offset: 3 },
      { mid: 0, device: 'x', stream: 'u:0', offset: 1 },
    ]);
    assert.deepEqual(acked, { recorded: 2 });
    const report = await service.delivery(5);
    assert.deepEqual({ ...report, devices: report.devices.map((d) => ({ ...d, lastAckMs: 0 })).sort((a, b) => a.device.localeCompare(b.device)) }, {
      stream: 'u:5', epoch, head: 10,
      devices: [{ device: 'phone', acked: 7, undelivered: 3, lastAckMs: 0 }, { device: 'web', acked: 10, undelivered: 0, lastAckMs: 0 }],
    });
    await assert.rejects(service.ack(Array.from({ length: 10_001 }, () => ({ mid: 5, device: 'd', stream: 'u:5', offset: 1 }))), invalid(/at most 10000/));
  });

  it('answers an empty report for a user with no stream and refuses a bad mid', async () => {
    const { service } = setup();
    assert.deepEqual(await service.delivery(9), { stream: 'u:9', epoch: 0, head: 0, devices: [] });
    await assert.rejects(service.delivery(0), invalid(/mid 0/));
  });
});
