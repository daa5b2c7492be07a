import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encode, Op, ProtocolError, StreamDecoder, type Packet } from './index';
import { hex, throwsCode } from './testing/spec-helpers';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** bytes cut at the given points (any order, duplicates and out-of-range folded in). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(prev, p));
    prev = p;
  }
  return chunks;
}

function feed(decoder: StreamDecoder, chunks: readonly Uint8Array[]): Packet[] {
  return chunks.flatMap((c) => decoder.push(c));
}

// Hand-written goim auth packet, body {"mid":123}.
const AUTH = hex('0000001b 0010 0001 00000007 00000001 7b226d6964223a3132337d');

const packetArb = fc.record({
  op: fc.integer({ min: 0, max: 0xffffffff }),
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  ver: fc.integer({ min: 0, max: 0xffff }),
  body: fc.uint8Array({ maxLength: 48 }),
  checksum: fc.boolean(),
});

describe('StreamDecoder', () => {
  it('decodes a whole packet in one chunk in place: the body is a view into the chunk', () => {
    const d = new StreamDecoder();
    const [p, ...rest] = d.push(AUTH);
    assert.equal(rest.length, 0);
    assert.equal(p!.op, Op.Auth);
    assert.equal(p!.body.buffer, AUTH.buffer);
    assert.equal(p!.body.byteOffset, 16);
    assert.equal(d.buffered, 0);
  });

  it('returns many packets from one chunk, in order, and keeps the partial tail', () => {
    const d = new StreamDecoder();
    const hb = encode({ op: Op.Heartbeat, seq: 1 });
    const stream = concat([AUTH, hb, encode({ op: Op.SendMsg, seq: 3, body: Uint8Array.of(1, 2), checksum: true }), AUTH.subarray(0, 10)]);
    const got = d.push(stream);
    assert.deepEqual(
      got.map((p) => [p.op, p.seq]),
      [[Op.Auth, 1], [Op.Heartbeat, 1], [Op.SendMsg, 3]],
    );
    assert.equal(d.buffered, 10);
    assert.equal(d.push(AUTH.subarray(10)).length, 1);
    assert.equal(d.buffered, 0);
  });

  it('assembles a packet fed one byte at a time', () => {
    const d = new StreamDecoder();
    for (let i = 0; i < AUTH.length - 1; i++) {
      assert.deepEqual(d.push(AUTH.subarray(i, i + 1)), []);
      assert.equal(d.buffered, i + 1);
    }
    const [p] = d.push(AUTH.subarray(AUTH.length - 1));
    assert.equal(new TextDecoder().decode(p!.body), '{"mid":123}');
    assert.equal(d.buffered, 0);
  });

  it('accepts Node Buffers and ignores empty chunks', () => {
    const d = new StreamDecoder();
    assert.deepEqual(d.push(new Uint8Array(0)), []);
    assert.equal(d.push(Buffer.from(AUTH)).length, 1);
  });

  describe('validates framing as soon as packLen and headerLen are in', () => {
    it('an oversized packLen fails on its first 6 bytes', () => {
      const d = new StreamDecoder();
      assert.deepEqual(d.push(hex('0010')), []);
      throwsCode(() => d.push(hex('0001 0010')), 'packet_too_large');
    });

    it('honours maxPacketLen', () => {
      const d = new StreamDecoder({ maxPacketLen: 26 });
      throwsCode(() => d.push(AUTH.subarray(0, 6)), 'packet_too_large');
      assert.equal(new StreamDecoder({ maxPacketLen: 27 }).push(AUTH).length, 1);
    });

    it('a bad headerLen split across chunks', () => {
      const d = new StreamDecoder();
      d.push(hex('000000'));
      throwsCode(() => d.push(hex('1c 0011')), 'bad_header_len');
    });

    it('packLen smaller than headerLen', () => {
      throwsCode(() => new StreamDecoder().push(hex('00000013 0014')), 'bad_packet_len');
    });

    it('a bad packet after good ones in the same chunk', () => {
      throwsCode(() => new StreamDecoder().push(concat([AUTH, hex('00000010 0000')])), 'bad_header_len');
    });

    it('buffers a large legal packet without deciding early', () => {
      const d = new StreamDecoder();
      const big = encode({ op: 1000, body: new Uint8Array(500_000) });
      assert.deepEqual(d.push(big.subarray(0, 16)), []);
      assert.deepEqual(d.push(big.subarray(16, 400_000)), []);
      assert.equal(d.buffered, 400_000);
      assert.equal(d.push(big.subarray(400_000))[0]!.body.length, 500_000);
    });
  });

  it('verifies checksums', () => {
    const bytes = encode({ op: 4, body: Uint8Array.of(1, 2, 3), checksum: true });
    bytes[bytes.length - 1] ^= 0x80;
    const d = new StreamDecoder();
    d.push(bytes.subarray(0, 5));
    throwsCode(() => d.push(bytes.subarray(5)), 'bad_checksum');
  });

  it('stays failed after an error: the stream is out of step', () => {
    const d = new StreamDecoder();
    throwsCode(() => d.push(hex('00000010 0015')), 'bad_header_len');
    assert.equal(d.buffered, 0);
    throwsCode(() => d.push(AUTH), 'bad_header_len');
  });

  it('assembles a 300 KB packet fed byte by byte and 20,000 packets fed in 3-byte chunks', () => {
    // Speed is not asserted here (unit tests are not timed); quadratic buffering would show as a hang.
    const big = encode({ op: 1000, body: new Uint8Array(300_000).fill(7) });
    const small = concat(Array.from({ length: 20_000 }, (_, i) => encode({ op: 2, seq: i })));
    const d = new StreamDecoder();
    const bigOut: Packet[] = [];
    for (let i = 0; i < big.length; i++) bigOut.push(...d.push(big.subarray(i, i + 1)));
    let smallCount = 0;
    for (let i = 0; i < small.length; i += 3) smallCount += d.push(small.subarray(i, i + 3)).length;
    assert.equal(bigOut.length, 1);
    assert.ok(bigOut[0]!.body.every((b) => b === 7));
    assert.equal(smallCount, 20_000);
    assert.equal(d.buffered, 0);
  });

  it('any chunking of a stream of packets decodes to the same packets', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (packets, cuts) => {
        const stream = concat(packets.map((p) => encode(p)));
        const expected = packets.map((p) => ({ ...p }));
        const d = new StreamDecoder();
        assert.deepEqual(feed(d, split(stream, cuts)), expected);
        assert.equal(d.buffered, 0);
        const bytewise = new StreamDecoder();
        assert.deepEqual(feed(bytewise, split(stream, Array.from(stream.keys()))), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes in random chunks never throw anything but a ProtocolError', () => {
    // Half the runs start with a valid packet so garbage lands mid-stream too.
    fc.assert(
      fc.property(fc.option(packetArb), fc.uint8Array({ maxLength: 80 }), fc.array(fc.nat(), { maxLength: 8 }), (lead, junk, cuts) => {
        const stream = concat(lead ? [encode(lead), junk] : [junk]);
        try {
          feed(new StreamDecoder({ maxPacketLen: 64 }), split(stream, cuts));
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});
