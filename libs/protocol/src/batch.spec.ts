import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decode, decodeBatch, decodeMessage, encode, encodeBatch, Op, ProtocolError } from './index';
import { hex, throwsCode } from './testing/spec-helpers';

// Written by hand:     packLen   hLen ver  op       seq      checksum  body
const INNER_ONLINE = hex('00000014 0010 0001 00000003 00000000           00000007'); // heartbeat reply, 7 online
const INNER_OK = hex('00000012     0010 0001 00000005 00000009           6f6b'); // send reply "ok"
const BATCH = hex(`00000036        0010 0001 00000009 00000000`);
const BATCH_CHECKSUMMED = hex('0000003a 0014 0001 00000009 00000003 bd2f6eee'); // crc from zlib.crc32 at authoring time
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const GOLDEN = concat(BATCH, INNER_ONLINE, INNER_OK);
const GOLDEN_CHECKSUMMED = concat(BATCH_CHECKSUMMED, INNER_ONLINE, INNER_OK);

const INNER = [
  { op: Op.HeartbeatReply, body: Uint8Array.of(0, 0, 0, 7) },
  { op: Op.SendMsgReply, seq: 9, body: Uint8Array.of(0x6f, 0x6b) },
];
const DECODED_INNER = [
  { ver: 1, op: Op.HeartbeatReply, seq: 0, body: Uint8Array.of(0, 0, 0, 7), checksum: false },
  { ver: 1, op: Op.SendMsgReply, seq: 9, body: Uint8Array.of(0x6f, 0x6b), checksum: false },
];

const packetArb = fc.record({
  op: fc.integer({ min: 0, max: 0xffffffff }),
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  ver: fc.integer({ min: 0, max: 0xffff }),
  body: fc.uint8Array({ maxLength: 32 }),
  checksum: fc.boolean(),
});

describe('encodeBatch / decodeBatch: golden bytes', () => {
  it('an op-9 batch of two inner packets', () => {
    assert.deepEqual(encodeBatch(INNER), GOLDEN);
    const outer = decode(GOLDEN);
    assert.equal(outer.op, Op.Raw);
    assert.equal(outer.checksum, false);
    assert.deepEqual(decodeBatch(outer.body), DECODED_INNER);
  });

  it('a checksummed outer header over goim inner packets, with the outer seq', () => {
    assert.deepEqual(encodeBatch(INNER, { checksum: true, seq: 3 }), GOLDEN_CHECKSUMMED);
    const outer = decode(GOLDEN_CHECKSUMMED);
    assert.deepEqual([outer.op, outer.seq, outer.checksum], [Op.Raw, 3, true]);
    assert.deepEqual(decodeBatch(outer.body), DECODED_INNER);
  });
});

describe('encodeBatch', () => {
  it('gives each inner packet its own header kind', () => {
    const bytes = encodeBatch([{ op: 4, checksum: true }, { op: 5 }]);
    const inner = decodeBatch(decode(bytes).body);
    assert.deepEqual(
      inner.map((p) => p.checksum),
      [true, false],
    );
    assert.deepEqual(bytes.subarray(16, 36), encode({ op: 4, checksum: true }));
  });

  it('an empty batch is a bare op-9 header whose body decodes to nothing', () => {
    const bytes = encodeBatch([]);
    assert.deepEqual(bytes, hex('00000010 0010 0001 00000009 00000000'));
    assert.deepEqual(decodeBatch(decode(bytes).body), []);
  });
});

describe('decodeBatch', () => {
  it('returns bodies as views into the batch body', () => {
    const body = decode(GOLDEN).body;
    const [a, b] = decodeBatch(body);
    assert.equal(a!.body.buffer, GOLDEN.buffer);
    assert.equal(a!.body.byteOffset, 16 + 16);
    assert.equal(b!.body.byteOffset, 16 + 20 + 16);
  });

  it('does not unpack a nested op-9 packet', () => {
    const nested = encodeBatch([{ op: Op.Raw, body: encode({ op: 2 }) }]);
    const [inner] = decodeBatch(decode(nested).body);
    assert.equal(inner!.op, Op.Raw);
    assert.deepEqual(inner!.body, encode({ op: 2 }));
  });

  it('a body cut anywhere short is bad_batch', () => {
    const body = GOLDEN.subarray(16);
    for (let cut = 1; cut < body.length; cut++) {
      if (cut === INNER_ONLINE.length) continue; // a whole packet: a valid, shorter batch
      throwsCode(() => decodeBatch(body.subarray(0, cut)), 'bad_batch');
    }
    assert.equal(decodeBatch(body.subarray(0, INNER_ONLINE.length)).length, 1);
  });

  it('reports an inner packet by its own error', () => {
    throwsCode(() => decodeBatch(hex('00000010 0013 0001 00000002 00000000')), 'bad_header_len');
    throwsCode(() => decodeBatch(hex('0000000f 0010 0001 00000002 00000000')), 'bad_packet_len');
    throwsCode(() => decodeBatch(INNER_ONLINE, { maxPacketLen: 19 }), 'packet_too_large');
    const corrupt = encode({ op: 4, body: Uint8Array.of(1), checksum: true });
    corrupt[20] = 2;
    throwsCode(() => decodeBatch(concat(INNER_OK, corrupt)), 'bad_checksum');
  });

  it('round-trips any list of packets', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { maxLength: 8 }), fc.boolean(), (packets, checksum) => {
        const outer = decode(encodeBatch(packets, { checksum }));
        assert.deepEqual(
          decodeBatch(outer.body),
          packets.map((p) => ({ ...p })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes never throw anything but a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          decodeBatch(bytes);
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('decodeMessage reads whole packets of one WebSocket message, and names a cut one bad_packet_len', () => {
    const msg = concat(INNER_ONLINE, INNER_OK);
    assert.deepEqual(
      decodeMessage(msg).map((p) => [p.op, p.seq, [...p.body]]),
      [
        [Op.HeartbeatReply, 0, [0, 0, 0, 7]],
        [Op.SendMsgReply, 9, [0x6f, 0x6b]],
      ],
    );
    assert.deepEqual(decodeMessage(new Uint8Array(0)), []);
    for (let cut = 1; cut < msg.length; cut++) {
      if (cut === INNER_ONLINE.length) continue;
      throwsCode(() => decodeMessage(msg.subarray(0, cut)), 'bad_packet_len');
    }
    throwsCode(() => decodeMessage(INNER_ONLINE, { maxPacketLen: 19 }), 'packet_too_large');
  });
});
