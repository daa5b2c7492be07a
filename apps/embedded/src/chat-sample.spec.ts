import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { UpstreamMessage } from '@imgate/server-client';
import { ChatSample } from './chat-sample';

const msg = (over: Partial<UpstreamMessage>): UpstreamMessage => ({
  mid: 7, key: 'k7', server: 'c1', roomId: 'live://lobby', operation: 4, seq: 3, body: Buffer.from('{"text":"hi","from":"ann"}'), receivedAtMs: 1_000, clientMsgId: '', ...over,
});

describe('ChatSample', () => {
  function setup() {
    const pushed: Array<{ room: string; op: number; body: unknown; key?: string }> = [];
    const chat = new ChatSample({ pushRoom: async (room, op, body, opts) => (pushed.push({ room, op, body, key: opts?.idempotencyKey }), { records: 1, offline: [], id: '1' }) }, pino({ level: 'silent' }));
    return { chat, pushed };
  }

  it('pushes a chat line to the sender’s room with its authenticated mid', async () => {
    const { chat, pushed } = setup();
    await chat.handle(msg({ body: Buffer.from('{"text":"hello","from":"ann","mid":999}') }));
    assert.deepEqual(pushed, [{ room: 'live://lobby', op: 1000, body: { from: 'ann', mid: 7, text: 'hello' }, key: 'chat:k7:3:1000' }]);
  });

  it('keys an op-30 line by its client id, so a resend is one push', async () => {
    const { chat, pushed } = setup();
    await chat.handle(msg({ clientMsgId: 'abc' }));
    assert.equal(pushed[0].key, 'chat:7:abc');
  });

  it('ignores what is not a chat line: no room, another operation, not JSON, empty text', async () => {
    const { chat, pushed } = setup();
    await chat.handle(msg({ roomId: '' }));
    await chat.handle(msg({ operation: 1001 }));
    await chat.handle(msg({ body: Buffer.from('plain') }));
    await chat.handle(msg({ body: Buffer.from('{"text":"  "}') }));
    assert.deepEqual(pushed, []);
  });
});
