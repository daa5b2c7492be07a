import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePushMsg, decodeUpstreamMsg, encodePushMsg, encodeUpstreamMsg, QueueDecodeError } from './queue-codec';

describe('queue codec', () => {
  it('round-trips a push record with every field', () => {
    const bytes = encodePushMsg({
      type: 'PUSH', operation: 1000, server: 'comet-1', keys: ['a', 'b'], msg: Buffer.from('hi'), acceptedAtMs: 1_700_000_000_123,
    });
    const back = decodePushMsg(bytes);
    assert.equal(back.type, 'PUSH');
    assert.equal(back.operation, 1000);
    assert.equal(back.server, 'comet-1');
    assert.deepEqual(back.keys, ['a', 'b']);
    assert.equal(Buffer.from(back.msg).toString(), 'hi');
    assert.equal(back.acceptedAtMs, 1_700_000_000_123);
  });

  it('fills defaults for an empty record', () => {
    const back = decodeUpstreamMsg(encodeUpstreamMsg({}));
    assert.equal(back.mid, 0);
    assert.equal(back.key, '');
    assert.equal(back.body.length, 0);
  });

  it('rejects garbage with a QueueDecodeError', () => {
    assert.throws(() => decodePushMsg(Uint8Array.from([0x0a, 0xff, 0xff, 0xff])), QueueDecodeError);
  });

  it('rejects an invalid object on encode', () => {
    assert.throws(() => encodePushMsg({ operation: 'x' as unknown as number }), /operation/);
  });
});
