import { encode, Op } from '@imgate/protocol';
import type { Rng } from './rng';

/** What a mutated frame is, for the report. */
export type FrameKind = 'valid-op' | 'header-field' | 'truncated' | 'garbage' | 'oversized' | 'bit-flip' | 'bad-checksum' | 'bad-batch' | 'bad-json';

const OPS = [Op.Handshake, Op.Heartbeat, Op.SendMsg, Op.Auth, Op.Raw, Op.ChangeRoom, Op.Sub, Op.Unsub, 18, 20, 23, 28, 30, 31, 99, 999, 1000, 1001, 0xffffffff];
const EDGE_U32 = [0, 1, 15, 16, 17, 19, 20, 21, 0x7fffffff, 0x80000000, 0xffffffff];
const EDGE_U16 = [0, 1, 15, 16, 17, 19, 20, 21, 0x7fff, 0xffff];
const KINDS: FrameKind[] = ['valid-op', 'header-field', 'truncated', 'garbage', 'oversized', 'bit-flip', 'bad-checksum', 'bad-batch', 'bad-json'];

function body(rng: Rng): Buffer {
  const n = rng.pick([0, 0, 1, 4, 8, 16, 64, 200, 1000]);
  return rng.chance(0.3) ? Buffer.from(JSON.stringify({ mid: rng.int(1e6), room_id: `live://${rng.int(100)}`, accepts: [1000] })) : rng.bytes(n);
}

function packet(rng: Rng, checksum = rng.chance(0.2)): Buffer {
  return Buffer.from(encode({ op: rng.pick(OPS), seq: rng.u32(), ver: rng.chance(0.9) ? 1 : rng.int(0x10000), body: body(rng), checksum }));
}

/** One mutated client frame: a packet with some part wrong, or no packet at all. */
export function mutatedFrame(rng: Rng): { kind: FrameKind; bytes: Buffer } {
  const kind = rng.pick(KINDS);
  let bytes: Buffer;
  switch (kind) {
    case 'valid-op':
      bytes = packet(rng);
      break;
    case 'header-field': {
      bytes = packet(rng);
      const field = rng.int(5);
      if (field === 0) bytes.writeUInt32BE(rng.chance(0.5) ? rng.pick(EDGE_U32) : rng.u32(), 0);
      else if (field === 1) bytes.writeUInt16BE(rng.chance(0.5) ? rng.pick(EDGE_U16) : rng.int(0x10000), 4);
      else if (field === 2) bytes.writeUInt16BE(rng.int(0x10000), 6);
      else if (field === 3) bytes.writeUInt32BE(rng.chance(0.5) ? rng.pick(EDGE_U32) : rng.u32(), 8);
      else bytes.writeUInt32BE(bytes.readUInt32BE(0) + rng.pick([-2, -1, 1, 2, 1000]) >>> 0, 0);
      break;
    }
    case 'truncated': {
      const whole = packet(rng);
      bytes = whole.subarray(0, rng.int(whole.length));
      break;
    }
    case 'garbage':
      bytes = rng.bytes(1 + rng.int(rng.chance(0.9) ? 64 : 4096));
      break;
    case 'oversized': {
      // The header claims more than any limit; some of the body follows.
      bytes = Buffer.concat([Buffer.alloc(16), rng.bytes(rng.int(2048))]);
      bytes.writeUInt32BE(rng.pick([65_537, 1 << 20, 1 << 30, 0xffffffff]), 0);
      bytes.writeUInt16BE(16, 4);
      bytes.writeUInt16BE(1, 6);
      bytes.writeUInt32BE(rng.pick(OPS), 8);
      break;
    }
    case 'bit-flip': {
      bytes = packet(rng);
      for (let i = 1 + rng.int(8); i > 0; i--) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
      break;
    }
    case 'bad-checksum': {
      bytes = packet(rng, true);
      bytes.writeUInt32BE((bytes.readUInt32BE(16) ^ (1 + rng.int(0xffff))) >>> 0, 16);
      break;
    }
    case 'bad-batch': {
      // op 9: the body is packets back to back; here some are cut or wrong.
      const inner = Buffer.concat([packet(rng, false), mutatedFrame(rng).bytes]);
      bytes = Buffer.from(encode({ op: Op.Raw, seq: rng.u32(), body: inner }));
      break;
    }
    case 'bad-json': {
      const text = rng.pick(['{', '{"mid":', '{"mid":"x","accepts":"all"}', '[]', 'null', '{"room_id":' + '"a'.repeat(200), '{"accepts":[' + '1,'.repeat(5000) + '1]}', '\u0000\uffff']);
      bytes = Buffer.from(encode({ op: rng.pick([Op.Auth, Op.ChangeRoom, Op.Sub, Op.Unsub, 28, 18]), seq: rng.u32(), body: Buffer.from(text) }));
      break;
    }
  }
  return { kind, bytes };
}

/** A well-formed auth (op 7) for the embedded default, which trusts the mid. */
export function authFrame(mid: number, room = 'live://fuzz'): Buffer {
  return Buffer.from(encode({ op: Op.Auth, seq: 1, body: Buffer.from(JSON.stringify({ mid, room_id: room, platform: 'fuzz', accepts: [1000] })) }));
}

/** Splits bytes at random points, as a network may deliver them. */
export function splitRandomly(rng: Rng, bytes: Buffer, maxPieces = 8): Buffer[] {
  const cuts = new Set<number>();
  for (let i = rng.int(maxPieces); i > 0; i--) cuts.add(1 + rng.int(Math.max(1, bytes.length - 1)));
  const out: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut > at && cut < bytes.length) out.push(bytes.subarray(at, cut));
    at = Math.max(at, cut);
  }
  out.push(bytes.subarray(at));
  return out;
}
