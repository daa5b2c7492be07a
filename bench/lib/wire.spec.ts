import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeStreamMessage } from '@imgate/protocol';
import { benchPacketLen, eachPacket, messageBody, OP_BENCH, OP_MESSAGE, packet, parseBody, streamPayload } from './wire';

describe('bench wire: op 27 for opted-in load clients', () => {
  const body = messageBody(42, 1_700_000_000_123.5, 128);
  const op27 = Buffer.from(encodeStreamMessage({ stream: 'r:live://bench', epoch: 7, offset: 3n, id: 2n ** 60n, operation: OP_BENCH, payload: Buffer.from(body, 'latin1') }));

  it('reads the operation and the bench body out of the protocol library\'s op-27 bytes', () => {
    const m = streamPayload(op27);
    assert.equal(m?.operation, OP_BENCH);
    assert.deepEqual(parseBody(m!.payload.toString('latin1')), { seq: 42, sentAt: 1_700_000_000_123.5 });
    assert.equal(streamPayload(op27.subarray(0, 20)), undefined);
  });

  it('counts a batch by its length: the packet length of an op-27 message in the room stream', () => {
    const batch = Buffer.concat([packet(OP_MESSAGE, op27), packet(OP_MESSAGE, op27)]);
    assert.equal(batch.length, 2 * benchPacketLen(128, 'r:live://bench'));
    assert.equal(benchPacketLen(128), 16 + 128);
    const ops: number[] = [];
    eachPacket(batch, (op) => ops.push(op));
    assert.deepEqual(ops, [OP_MESSAGE, OP_MESSAGE]);
  });
});
