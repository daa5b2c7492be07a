import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeMessage,
  decodeStreamMessage,
  encodeStreamMessage,
  encodeStreamMessageInto,
  encodeStreamMessagePackets,
  Op,
  ProtocolError,
  STREAM_MESSAGE_FIXED_LEN,
  streamMessageLength,
  type StreamMessage,
} from './index';
import { streamMessageArb } from './testing/delivery-arbitraries';
import { hex, throwsCode } from './testing/spec-helpers';

const hi = Uint8Array.of(0x68, 0x69);

// Golden bodies, written from docs/delivery.md by hand.
//                 len stream            epoch     offset            id                operation payload
const USER = hex('05  753a313233         0001e240  0000000000000011  0123456789abcdef  000003e8  6869');
const ROOM = hex('0d  723a6c6976653a2f2f31303030  ffffffff  ffffffffffffffff  0000000000000001  000003e9');
const BEST_EFFORT = hex('00                  00000000  0000000000000000  8000000000000000  000003ea  6869');

const user: StreamMessage = { stream: 'u:123', epoch: 123456, offset: 17n, id: 0x0123456789abcdefn, operation: 1000, payload: hi };
const room: StreamMessage = { stream: 'r:live://1000', epoch: 0xffffffff, offset: 2n ** 64n - 1n, id: 1n, operation: 1001, payload: new Uint8Array(0) };
const bestEffort: StreamMessage = { stream: '', epoch: 0, offset: 0n, id: 2n ** 63n, operation: 1002, payload: hi };

describe('op 27 stream message: golden bytes', () => {
  for (const [name, m, bytes] of [
    ['a user stream message', user, USER],
    ['a room message at the largest epoch and offset, empty payload', room, ROOM],
    ['a best-effort message (streamLen 0)', bestEffort, BEST_EFFORT],
  ] as const) {
    it(name, () => {
      assert.deepEqual(encodeStreamMessage(m), bytes);
      assert.deepEqual(decodeStreamMessage(bytes), m);
      assert.equal(streamMessageLength(m), bytes.length);
    });
  }

  it('whole op-27 packets back to back, one buffer for a batch, with or without checksums', () => {
    //                       packLen   hLen ver  op        seq
    const userHeader = hex('00000030  0010 0001 0000001b  00000000'); // 16 + 32
    const bestEffortHeader = hex('0000002b 0010 0001 0000001b 00000000'); // 16 + 27
    const both = encodeStreamMessagePackets([user, bestEffort]);
    assert.deepEqual(both, Uint8Array.from([...userHeader, ...USER, ...bestEffortHeader, ...BEST_EFFORT]));
    const sealed = encodeStreamMessagePackets([user, room], { checksum: true, seq: 7 });
    const packets = decodeMessage(sealed);
    assert.deepEqual(packets.map((p) => [p.op, p.seq, p.checksum]), [[Op.Message, 7, true], [Op.Message, 7, true]]);
    assert.deepEqual(decodeStreamMessage(packets[0]!.body), user);
    assert.deepEqual(decodeStreamMessage(packets[1]!.body), room);
    assert.deepEqual(encodeStreamMessagePackets([]), new Uint8Array(0));
  });
});

describe('op 27 stream message', () => {
  it('decodes the payload as a view into the body', () => {
    const backing = new Uint8Array(USER.length + 4);
    backing.set(USER, 4);
    const m = decodeStreamMessage(backing.subarray(4));
    assert.equal(m.payload.buffer, backing.buffer);
    assert.equal(m.payload.byteOffset, 4 + USER.length - 2);
  });

  it('encodeStreamMessageInto writes at an offset and touches nothing else', () => {
    const target = new Uint8Array(USER.length + 6).fill(0xee);
    assert.equal(encodeStreamMessageInto(target, 3, user), USER.length);
    assert.deepEqual(target.subarray(3, 3 + USER.length), USER);
    assert.ok([...target.subarray(0, 3), ...target.subarray(3 + USER.length)].every((b) => b === 0xee));
    assert.throws(() => encodeStreamMessageInto(new Uint8Array(USER.length - 1), 0, user), RangeError);
    assert.throws(() => encodeStreamMessageInto(target, 7, user), RangeError);
  });

  it('refuses to encode what the decoder would refuse', () => {
    const bad: Array<Partial<StreamMessage>> = [
      { stream: 'x:1' },
      { stream: 'u:0' },
      { epoch: 0 },
      { epoch: 2 ** 32 },
      { epoch: -1 },
      { offset: 0n },
      { offset: 2n ** 64n },
      { id: -1n },
      { id: 2n ** 64n },
      { operation: -1 },
      { operation: 2 ** 32 },
      { operation: 1.5 },
      { stream: '', epoch: 1, offset: 0n },
      { stream: '', epoch: 0, offset: 1n },
    ];
    for (const over of bad) assert.throws(() => encodeStreamMessage({ ...user, ...over }), RangeError, String(Object.keys(over)));
  });

  describe('rejects malformed bodies with bad_stream_message', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['empty', new Uint8Array(0)],
      ['shorter than the fixed fields', USER.subarray(0, STREAM_MESSAGE_FIXED_LEN - 1)],
      ['streamLen past the end', hex('10 753a313233 0001e240 0000000000000011 0123456789abcdef 000003e8')],
      ['a stream name that is not one', hex('03 783a31 0001e240 0000000000000011 0000000000000001 000003e8')],
      ['a non-ASCII stream name', hex('04 723ac3a9 0001e240 0000000000000011 0000000000000001 000003e8')],
      ['epoch 0 on a stream', hex('03 753a31 00000000 0000000000000011 0000000000000001 000003e8')],
      ['offset 0 on a stream', hex('03 753a31 00000001 0000000000000000 0000000000000001 000003e8')],
      ['a best-effort message with an epoch', hex('00 00000001 0000000000000000 0000000000000001 000003e8')],
      ['a best-effort message with an offset', hex('00 00000000 0000000000000001 0000000000000001 000003e8')],
    ];
    for (const [name, bytes] of cases) it(name, () => throwsCode(() => decodeStreamMessage(bytes), 'bad_stream_message'));
  });

  it('round-trips any valid message, alone and in a packet batch', () => {
    fc.assert(
      fc.property(fc.array(streamMessageArb, { maxLength: 5 }), fc.boolean(), (messages, checksum) => {
        // fc.record builds null-prototype objects.
        for (const m of messages) assert.deepEqual(decodeStreamMessage(encodeStreamMessage(m)), { ...m });
        const packets = decodeMessage(encodeStreamMessagePackets(messages, { checksum }));
        assert.deepEqual(packets.map((p) => decodeStreamMessage(p.body)), messages.map((m) => ({ ...m })));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw anything but a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), fc.boolean(), (bytes, smallLen) => {
        if (smallLen && bytes.length > 0) bytes[0] = bytes[0]! % 8;
        try {
          decodeStreamMessage(bytes);
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
