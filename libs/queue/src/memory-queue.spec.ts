import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { MemoryQueue } from './memory-queue';

const logger = pino({ level: 'silent' });
const rec = (s: string) => ({ key: 'k', value: Buffer.from(s) });

describe('MemoryQueue', () => {
  it('delivers in order and redelivers a failed batch until the handler succeeds', async () => {
    const q = new MemoryQueue();
    const seen: string[] = [];
    let failures = 1;
    const done = new Promise<void>((resolve) => {
      void q.consumer('t', logger).start(async (batch) => {
        const bodies = batch.map((r) => Buffer.from(r.value).toString());
        if (bodies.includes('b') && failures-- > 0) throw new Error('comet down');
        seen.push(...bodies);
        if (seen.length === 3) resolve();
      });
    });
    await q.send('t', [rec('a'), rec('b'), rec('c')]);
    await done;
    assert.deepEqual(seen, ['a', 'b', 'c']);
  });

  it('bounds a topic nobody consumes', async () => {
    const q = new MemoryQueue(5);
    for (let i = 0; i < 20; i++) await q.send('up', [rec(String(i))]);
    assert.equal(q.topic('up').records.length, 5);
    assert.equal(Buffer.from(q.topic('up').records[0].value).toString(), '15');
  });
});
