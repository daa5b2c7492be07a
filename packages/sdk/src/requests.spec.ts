import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode, Op, type Packet } from '@imgate/protocol';
import { ImgateError } from './errors.js';
import { parseReason, PendingRequests, replyOpOf } from './requests.js';
import { FakeTime } from './testing/fake-time.js';

const utf8 = new TextEncoder();

function packet(op: number, seq: number, body: string | object = ''): Packet {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { op, seq, ver: 1, checksum: false, body: utf8.encode(text) };
}

describe('PendingRequests', () => {
  it('matches replies by seq, in any order, and only with the expected reply op', async () => {
    const time = new FakeTime();
    const reqs = new PendingRequests(time);
    const seqs: number[] = [];
    const a = reqs.request(Op.SendMsg, 1_000, (s) => seqs.push(s));
    const b = reqs.request(Op.ChangeRoom, 1_000, (s) => seqs.push(s));
    assert.deepEqual(seqs, [1, 2]);
    assert.equal(reqs.settle(packet(Op.SendMsgReply, 2)), false, 'seq 2 waits for op 13, not op 5');
    assert.equal(reqs.settle(packet(Op.ChangeRoomReply, 2, 'live://2')), true);
    assert.equal(reqs.settle(packet(Op.SendMsgReply, 1)), true);
    assert.equal((await a).seq, 1);
    assert.equal(new TextDecoder().decode((await b).body), 'live://2');
    assert.equal(reqs.settle(packet(Op.SendMsgReply, 1)), false, 'already settled');
    assert.equal(reqs.size, 0);
    assert.equal(time.scheduled, 0, 'timers are cleared');
  });

  it("rejects with the server's code on op 22 with the request's seq", async () => {
    const reqs = new PendingRequests(new FakeTime());
    const p = reqs.request(Op.JoinRoom, 1_000, () => undefined);
    assert.equal(reqs.settle(packet(Op.Error, 1, { code: 'too_many_rooms', reason: 'limit 8' })), true);
    await assert.rejects(p, (err: ImgateError) => err.code === 'too_many_rooms' && err.message === 'limit 8');
    assert.equal(reqs.settle(packet(Op.Error, 99, { code: 'x' })), false, 'an error about no request of ours');
  });

  it('rejects on timeout, and every request at once when the connection ends', async () => {
    const time = new FakeTime();
    const reqs = new PendingRequests(time);
    const slow = reqs.request(Op.SendMsg, 500, () => undefined);
    const rest = [reqs.request(Op.Sub, 10_000, () => undefined), reqs.request(Op.Unsub, 10_000, () => undefined)];
    const timedOut = assert.rejects(slow, (err: ImgateError) => err.code === 'timeout');
    await time.advance(499);
    assert.equal(reqs.size, 3);
    await time.advance(1);
    await timedOut;
    assert.equal(reqs.size, 2);
    reqs.failAll(new ImgateError('disconnected', 'gone'));
    for (const p of rest) await assert.rejects(p, (err: ImgateError) => err.code === 'disconnected');
    assert.equal(time.scheduled, 0);
  });

  it('rejects a request whose write throws, and frees its seq', async () => {
    const reqs = new PendingRequests(new FakeTime());
    await assert.rejects(reqs.request(Op.SendMsg, 1_000, () => {
      throw new Error('socket gone');
    }), /socket gone/);
    assert.equal(reqs.size, 0);
  });

  it('wraps seqs within u32, skipping 0 and seqs still waiting', () => {
    const reqs = new PendingRequests(new FakeTime());
    (reqs as unknown as { lastSeq: number }).lastSeq = 0xfffffffd;
    const seqs: number[] = [];
    void reqs.request(Op.SendMsg, 1_000, (s) => seqs.push(s)); // 0xfffffffe, stays pending
    assert.equal(reqs.nextSeq(), 0xffffffff);
    assert.equal(reqs.nextSeq(), 1);
    (reqs as unknown as { lastSeq: number }).lastSeq = 0xfffffffd;
    assert.equal(reqs.nextSeq(), 0xffffffff, 'skips the pending 0xfffffffe');
    assert.equal(encode({ op: Op.SendMsg, seq: seqs[0] }).length, 16, 'a valid u32 seq');
  });

  it('knows the reply op of each request, and reads reasons that are not JSON', () => {
    assert.deepEqual([Op.Heartbeat, Op.SendMsg, 1000, Op.ChangeRoom, Op.Sub, Op.Unsub, Op.JoinRoom, Op.LeaveRoom].map(replyOpOf), [3, 5, 5, 13, 15, 17, 24, 26]);
    assert.deepEqual(parseReason(utf8.encode('plain words')), { code: 'unknown', reason: 'plain words' });
    assert.deepEqual(parseReason(utf8.encode('{"code":"draining","reason":"bye"}')), { code: 'draining', reason: 'bye' });
  });
});
