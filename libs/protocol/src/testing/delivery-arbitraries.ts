// fast-check arbitraries for the delivery specs (kept out of the browser-safe modules).
import fc from 'fast-check';
import { U64_MAX } from '../offset';
import type { StreamMessage } from '../stream-message';

const printable = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));

export const roomIdArb = fc.string({ unit: printable, minLength: 1, maxLength: 128 });
export const userStreamArb = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map((mid) => `u:${mid}`);
export const roomStreamArb = roomIdArb.map((room) => `r:${room}`);
export const streamArb = fc.oneof(userStreamArb, roomStreamArb);
export const u64Arb = fc.bigInt({ min: 0n, max: U64_MAX });
export const u32Arb = fc.integer({ min: 0, max: 0xffffffff });
export const sendIdArb = fc.string({ unit: printable, minLength: 1, maxLength: 64 });

/** A valid op-27 message: a stream one or a best-effort one. */
export const streamMessageArb: fc.Arbitrary<StreamMessage> = fc.oneof(
  fc.record({
    stream: streamArb,
    epoch: fc.integer({ min: 1, max: 0xffffffff }),
    offset: fc.bigInt({ min: 1n, max: U64_MAX }),
    id: u64Arb,
    operation: u32Arb,
    payload: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({
    stream: fc.constant(''),
    epoch: fc.constant(0),
    offset: fc.constant(0n),
    id: u64Arb,
    operation: u32Arb,
    payload: fc.uint8Array({ maxLength: 64 }),
  }),
);
