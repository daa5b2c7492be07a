import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decode,
  encode,
  encodedLength,
  encodeInto,
  MAX_PACKET_LEN_DEFAULT,
  Op,
  ProtocolError,
  readPackLen,
  type PacketInit,
  type ProtocolErrorCode,
} from './index';
import { hex, throwsCode } from './testing/spec-helpers';

// Golden packets, written from the spec by hand.
//              packLen      hLen  ver   op           seq          checksum     body
const AUTH = hex('0000001b    0010  0001  00000007     00000001                  7b226d6964223a3132337d'); // {"mid":123}
const HEARTBEAT = hex('00000010 0010  0001  00000002     00000002');
const CHECKSUMMED = hex('00000016 0014 0001  00000004     00000005     80be80d5     6869'); // crc from zlib.crc32 at authoring time

const packetArb = fc.record({
  op: fc.integer({ min: 0, max: 0xffffffff }),
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  ver: fc.integer({ min: 0, max: 0xffff }),
  body: fc.uint8Array({ maxLength: 64 }),
  checksum: fc.boolean(),
});

describe('encode / decode: golden bytes', () => {
  it('a goim auth packet with body {"mid":123}', () => {
    const body = new TextEncoder().encode('{"mid":123}');
    assert.deepEqual(encode({ op: Op.Auth, seq: 1, body }), AUTH);
    assert.deepEqual(decode(AUTH), { ver: 1, op: Op.Auth, seq: 1, body, checksum: false });
  });

  it('a heartbeat with an empty body', () => {
    assert.deepEqual(encode({ op: Op.Heartbeat, seq: 2 }), HEARTBEAT);
    assert.deepEqual(decode(HEARTBEAT), { ver: 1, op: Op.Heartbeat, seq: 2, body: new Uint8Array(0), checksum: false });
  });

  it('a checksummed packet (headerLen 20)', () => {
    const body = Uint8Array.of(0x68, 0x69);
    assert.deepEqual(encode({ op: Op.SendMsg, seq: 5, body, checksum: true }), CHECKSUMMED);
    assert.deepEqual(decode(CHECKSUMMED), { ver: 1, op: Op.SendMsg, seq: 5, body, checksum: true });
  });

  it('defaults seq to 0 and ver to 1', () => {
    assert.deepEqual(encode({ op: 0 }), hex('00000010 0010 0001 00000000 00000000'));
  });
});

describe('decode', () => {
  it('returns the body as a view into the input, honouring byteOffset', () => {
    const backing = new Uint8Array(AUTH.length + 10);
    backing.set(AUTH, 7);
    const input = backing.subarray(7, 7 + AUTH.length);
    const p = decode(input);
    assert.equal(p.body.buffer, backing.buffer);
    assert.equal(p.body.byteOffset, 7 + 16);
    assert.equal(p.body.length, 11);
  });

  it('accepts a Node Buffer', () => {
    const p = decode(Buffer.from(AUTH));
    assert.equal(p.op, Op.Auth);
    assert.equal(Buffer.from(p.body).toString(), '{"mid":123}');
  });

  it('carries any ver through unvalidated, and reads op and seq as u32', () => {
    const bytes = hex('00000010 0010 ffff ffffffff 80000000');
    assert.deepEqual(decode(bytes), { ver: 0xffff, op: 0xffffffff, seq: 0x80000000, body: new Uint8Array(0), checksum: false });
  });

  it('accepts a packet exactly at maxPacketLen', () => {
    const p = encode({ op: 4, body: new Uint8Array(84) });
    assert.equal(decode(p, { maxPacketLen: 100 }).body.length, 84);
  });

  describe('rejects malformed input with its code', () => {
    const cases: Array<[string, Uint8Array, ProtocolErrorCode, number?]> = [
      ['fewer than 16 bytes', AUTH.subarray(0, 15), 'short_header'],
      ['no bytes', new Uint8Array(0), 'short_header'],
      ['headerLen 18', hex('00000010 0012 0001 00000002 00000000'), 'bad_header_len'],
      ['headerLen 0', hex('00000010 0000 0001 00000002 00000000'), 'bad_header_len'],
      ['packLen smaller than headerLen 16', hex('0000000c 0010 0001 00000002 00000000'), 'bad_packet_len'],
      ['packLen smaller than headerLen 20', hex('00000013 0014 0001 00000002 00000000 00000000'), 'bad_packet_len'],
      ['packLen larger than the bytes given', hex('00000011 0010 0001 00000002 00000000'), 'bad_packet_len'],
      ['packLen over the default limit', hex(`${(MAX_PACKET_LEN_DEFAULT + 1).toString(16).padStart(8, '0')} 0010 0001 00000002 00000000`), 'packet_too_large'],
      ['packLen 0xffffffff', hex('ffffffff 0010 0001 00000002 00000000'), 'packet_too_large'],
      ['packLen over maxPacketLen', AUTH, 'packet_too_large', 26],
      ['bytes after the packet', hex('00000010 0010 0001 00000002 00000000 00'), 'trailing_bytes'],
      ['a corrupted body under a checksum', hex('00000016 0014 0001 00000004 00000005 80be80d5 686a'), 'bad_checksum'],
      ['a corrupted checksum', hex('00000016 0014 0001 00000004 00000005 80be80d4 6869'), 'bad_checksum'],
    ];
    for (const [name, bytes, code, maxPacketLen] of cases) {
      it(`${name} -> ${code}`, () => throwsCode(() => decode(bytes, maxPacketLen ? { maxPacketLen } : undefined), code));
    }
  });

  it('gives a human reason naming the numbers', () => {
    assert.throws(() => decode(hex('0000000c 0010 0001 00000002 00000000')), {
      name: 'ProtocolError',
      message: 'packLen 12 is smaller than headerLen 16',
    });
    assert.throws(() => decode(HEARTBEAT.subarray(0, 3)), (err: unknown) => err instanceof Error && err instanceof ProtocolError);
  });
});

describe('encode', () => {
  it('encodedLength counts the header the checksum flag picks', () => {
    assert.equal(encodedLength(0, false), 16);
    assert.equal(encodedLength(11, false), 27);
    assert.equal(encodedLength(2, true), 22);
  });

  it('encodeInto writes at an offset, returns the length and touches nothing else', () => {
    const target = new Uint8Array(40).fill(0xee);
    const n = encodeInto(target, 5, { op: Op.SendMsg, seq: 5, body: Uint8Array.of(0x68, 0x69), checksum: true });
    assert.equal(n, 22);
    assert.deepEqual(target.subarray(5, 27), CHECKSUMMED);
    assert.ok(target.subarray(0, 5).every((b) => b === 0xee));
    assert.ok(target.subarray(27).every((b) => b === 0xee));
  });

  it('encodeInto refuses a target too small', () => {
    assert.throws(() => encodeInto(new Uint8Array(26), 0, { op: 7, body: new Uint8Array(11) }), RangeError);
    assert.throws(() => encodeInto(new Uint8Array(40), 20, { op: 7, body: new Uint8Array(11) }), RangeError);
  });

  it('refuses op, seq or ver that would wrap on the wire', () => {
    const bad: PacketInit[] = [{ op: -1 }, { op: 2 ** 32 }, { op: 1.5 }, { op: 1, seq: -1 }, { op: 1, seq: 2 ** 32 }, { op: 1, ver: 0x10000 }, { op: 1, ver: -1 }];
    for (const p of bad) assert.throws(() => encode(p), RangeError, JSON.stringify(p));
  });

  it('copies the body: later changes to it do not reach the packet', () => {
    const body = Uint8Array.of(1, 2, 3);
    const bytes = encode({ op: 4, body });
    body[0] = 9;
    assert.deepEqual(decode(bytes).body, Uint8Array.of(1, 2, 3));
  });
});

describe('readPackLen', () => {
  it('reads packLen at an offset', () => {
    const bytes = new Uint8Array(3 + AUTH.length);
    bytes.set(AUTH, 3);
    assert.equal(readPackLen(AUTH), 27);
    assert.equal(readPackLen(bytes, 3), 27);
    assert.equal(readPackLen(hex('ffffffff')), 0xffffffff);
  });

  it('needs 4 bytes', () => {
    throwsCode(() => readPackLen(hex('000000')), 'short_header');
    throwsCode(() => readPackLen(AUTH, 24), 'short_header');
  });
});

describe('codec properties', () => {
  it('decode(encode(p)) equals p', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        const bytes = encode(p);
        assert.equal(bytes.length, encodedLength(p.body.length, p.checksum));
        assert.equal(readPackLen(bytes), bytes.length);
        assert.deepEqual(decode(bytes), { ...p }); // fc.record builds null-prototype objects
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes never throw anything but a ProtocolError', () => {
    const header = fc.tuple(fc.constantFrom(16, 20, 17, 0), fc.uint8Array({ maxLength: 80 }));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), header.map(([h, rest]) => withFraming(rest, h))), (bytes) => {
        try {
          decode(bytes, { maxPacketLen: 64 });
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('flipping any one bit of a checksummed packet after packLen/headerLen gives bad_checksum', () => {
    fc.assert(
      fc.property(packetArb, fc.nat(), (p, pick) => {
        const bytes = encode({ ...p, checksum: true });
        const bit = 6 * 8 + (pick % ((bytes.length - 6) * 8));
        bytes[bit >>> 3] ^= 1 << (bit & 7);
        throwsCode(() => decode(bytes), 'bad_checksum');
      }),
      { numRuns: 500 },
    );
  });
});

/** Random bytes whose packLen matches their length and whose headerLen is h: gets past the framing checks. */
function withFraming(rest: Uint8Array, h: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(16, rest.length));
  bytes.set(rest);
  new DataView(bytes.buffer).setUint32(0, bytes.length);
  new DataView(bytes.buffer).setUint16(4, h);
  return bytes;
}
