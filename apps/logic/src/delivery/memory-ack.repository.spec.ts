import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryAckRepository } from './memory-ack.repository';
import { MemoryStreamRepository } from './memory-stream.repository';

function setup(maxDevices = 3) {
  const clock = { t: 1_000_000, now() { return this.t; } };
  const streams = new MemoryStreamRepository(clock);
  return { clock, streams, acks: new MemoryAckRepository(streams, clock, { maxDevices, ttlSec: 60 }) };
}
const push = (streams: MemoryStreamRepository, n: number) =>
  streams.append(Array.from({ length: n }, (_, i) => ({ stream: 'u:1', id: BigInt(i), operation: 1000, body: new Uint8Array() })));
const ack = (device: string, offset: number) => ({ mid: 1, device, stream: 'u:1', offset: BigInt(offset) });

describe('MemoryAckRepository', () => {
  it('keeps the highest ack per device and reports what is not yet delivered', async () => {
    const { clock, streams, acks } = setup();
    await push(streams, 10);
    await acks.ack([ack('phone', 4), ack('web', 9)]);
    clock.t += 10;
    await acks.ack([ack('phone', 7), ack('web', 2)]);
    assert.deepEqual(await acks.delivery(1), [
      { device: 'phone', acked: 7n, head: 10n, undelivered: 3n, lastAckMs: 1_000_010 },
      { device: 'web', acked: 9n, head: 10n, undelivered: 1n, lastAckMs: 1_000_010 },
    ]);
  });

  it('clamps an ack past the head; acks expire after their ttl', async () => {
    const { clock, streams, acks } = setup();
    await push(streams, 3);
    await acks.ack([ack('phone', 50)]);
    assert.equal((await acks.delivery(1))[0].acked, 3n);
    clock.t += 60_000;
    assert.deepEqual(await acks.delivery(1), []);
  });

  it('an ack from an older epoch counts as 0, and the max starts again in the new one', async () => {
    const clock = { t: 0, now() { return this.t; } };
    const streams = new MemoryStreamRepository(clock, { userSize: 10, userTtlSec: 10, roomSize: 1, roomTtlSec: 1 });
    const acks = new MemoryAckRepository(streams, clock, { maxDevices: 3, ttlSec: 1000 });
    await push(streams, 5);
    await acks.ack([ack('phone', 5)]);
    clock.t += 20_000; // meta gone after 2× 10 s, the acks (ttl 1000 s) stay
    await push(streams, 4);
    assert.deepEqual((await acks.delivery(1)).map((d) => [d.acked, d.head, d.undelivered]), [[0n, 4n, 4n]]);
    await acks.ack([ack('phone', 2)]);
    assert.deepEqual((await acks.delivery(1)).map((d) => [d.acked, d.head, d.undelivered]), [[2n, 4n, 2n]]);
  });

  it('bounds the devices per user, dropping the one that acked longest ago', async () => {
    const { clock, streams, acks } = setup(2);
    await push(streams, 5);
    for (const device of ['a', 'b', 'c']) {
      await acks.ack([ack(device, 1)]);
      clock.t += 1;
    }
    assert.deepEqual((await acks.delivery(1)).map((d) => d.device), ['c', 'b']);
  });

  it('rejects an ack for another stream than the user\'s own', async () => {
    const { acks } = setup();
    await assert.rejects(acks.ack([{ mid: 1, device: 'd', stream: 'u:2', offset: 1n }]), RangeError);
    await assert.rejects(acks.ack([{ mid: 1, device: 'd', stream: 'r:1', offset: 1n }]), RangeError);
    await assert.rejects(acks.ack([{ mid: 1, device: 'd', stream: 'u:1', offset: -1n }]), RangeError);
  });
});
