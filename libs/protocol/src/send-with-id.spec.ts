import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeSendWithId, encodeSendWithId, ProtocolError, type SendWithId } from './index';
import { sendIdArb } from './testing/delivery-arbitraries';
import { hex, throwsCode } from './testing/spec-helpers';

// Golden bodies, written from docs/delivery.md by hand.
//                  idLen id        operation payload
const PLAIN = hex('03    6d2d31    00000004  6869'); // id "m-1", op 4, "hi"
const BUSINESS = hex('01 41        7fffffff'); // id "A", the largest business op, empty payload

describe('op 30 send with id', () => {
  it('golden bytes', () => {
    const plain: SendWithId = { id: 'm-1', operation: 4, payload: Uint8Array.of(0x68, 0x69) };
    const business: SendWithId = { id: 'A', operation: 0x7fffffff, payload: new Uint8Array(0) };
    assert.deepEqual(encodeSendWithId(plain), PLAIN);
    assert.deepEqual(decodeSendWithId(PLAIN), plain);
    assert.deepEqual(encodeSendWithId(business), BUSINESS);
    assert.deepEqual(decodeSendWithId(BUSINESS), business);
  });

  it('takes an id of exactly 64 characters and the payload as a view', () => {
    const id = 'x'.repeat(64);
    const bytes = encodeSendWithId({ id, operation: 1000, payload: Uint8Array.of(1, 2, 3) });
    const m = decodeSendWithId(bytes);
    assert.equal(m.id, id);
    assert.equal(m.payload.buffer, bytes.buffer);
    assert.deepEqual(m.payload, Uint8Array.of(1, 2, 3));
  });

  it('refuses to encode a bad id or operation', () => {
    for (const over of [{ id: '' }, { id: 'x'.repeat(65) }, { id: 'a b' }, { id: 'caf\u00e9' }, { operation: 5 }, { operation: 999 }, { operation: 0x80000000 }, { operation: 1000.5 }]) {
      assert.throws(() => encodeSendWithId({ id: 'm-1', operation: 4, payload: new Uint8Array(0), ...over }), RangeError, JSON.stringify(over));
    }
  });

  describe('rejects malformed bodies with bad_send_with_id', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['empty', new Uint8Array(0)],
      ['idLen 0', hex('00 00000004')],
      ['idLen 65', Uint8Array.from([65, ...new Uint8Array(65).fill(0x61), 0, 0, 0, 4])],
      ['idLen past the end', hex('05 6d2d31 00000004')],
      ['no room for the operation', hex('03 6d2d31 000000')],
      ['a control character in the id', hex('02 6d0a 00000004')],
      ['a non-ASCII id', hex('02 c3a9 00000004')],
      ['operation 5', hex('01 41 00000005')],
      ['operation 999', hex('01 41 000003e7')],
      ['operation above 2^31-1', hex('01 41 80000000')],
    ];
    for (const [name, bytes] of cases) it(name, () => throwsCode(() => decodeSendWithId(bytes), 'bad_send_with_id'));
  });

  it('round-trips any valid body; random bytes throw only ProtocolError', () => {
    const op = fc.oneof(fc.constant(4), fc.integer({ min: 1000, max: 0x7fffffff }));
    fc.assert(
      fc.property(sendIdArb, op, fc.uint8Array({ maxLength: 64 }), (id, operation, payload) => {
        assert.deepEqual(decodeSendWithId(encodeSendWithId({ id, operation, payload })), { id, operation, payload });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          decodeSendWithId(bytes);
        } catch (err) {
          assert.ok(err instanceof ProtocolError, String(err));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
