import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HeldEntry, judgeAfter, judgeLast } from './stream-read';

const entry = (offset: number, t = 1000): HeldEntry => ({ offset: BigInt(offset), id: BigInt(offset * 10), operation: 1000, body: new Uint8Array([offset]), t });
const range = (from: number, to: number, t = 1000): HeldEntry[] => Array.from({ length: to - from + 1 }, (_, i) => entry(from + i, t));
const offsets = (r: { messages: Array<{ offset: bigint }> }) => r.messages.map((m) => Number(m.offset));
const meta = { epoch: 7, top: 10n };

describe('judgeAfter', () => {
  it('returns everything after the position up to the head', () => {
    const r = judgeAfter('u:1', meta, 7, 6n, range(7, 10), 0, 500);
    assert.equal(r.status, 'ok');
    assert.deepEqual(offsets(r), [7, 8, 9, 10]);
    assert.equal(r.head, 10n);
    assert.equal(r.messages[0].stream, 'u:1');
    assert.equal(r.messages[0].epoch, 7);
  });

  it('pages: `more` with the first offset left out as next', () => {
    const r = judgeAfter('u:1', meta, 7, 2n, range(3, 6), 0, 3);
    assert.deepEqual([r.status, r.next, offsets(r)], ['more', 6n, [3, 4, 5]]);
  });

  it('is ok and empty at the head', () => {
    assert.deepEqual(judgeAfter('u:1', meta, 7, 10n, [], 0, 10), { status: 'ok', epoch: 7, head: 10n, messages: [] });
  });

  it('is lost when the epoch changed, the position is past the head, or the next offset is gone', () => {
    const lost = { status: 'lost', epoch: 7, head: 10n, messages: [] };
    assert.deepEqual(judgeAfter('u:1', meta, 8, 6n, range(7, 10), 0, 500), lost, 'other epoch');
    assert.deepEqual(judgeAfter('u:1', meta, 7, 11n, [], 0, 500), lost, 'past the head');
    assert.deepEqual(judgeAfter('u:1', meta, 7, -1n, range(1, 10), 0, 500), lost, 'negative');
    assert.deepEqual(judgeAfter('u:1', meta, 7, 2n, range(5, 10), 0, 500), lost, 'trimmed');
    assert.deepEqual(judgeAfter('u:1', meta, 7, 2n, [], 0, 500), lost, 'history gone, meta kept');
    assert.deepEqual(judgeAfter('u:1', meta, 7, 2n, [entry(3, 10), ...range(4, 10, 50)], 20, 500), lost, 'aged');
  });

  it('position 0 holds nothing: any epoch reads from 1, but a trimmed start is lost', () => {
    assert.deepEqual(offsets(judgeAfter('u:1', meta, 0, 0n, range(1, 10), 0, 500)), range(1, 10).map((e) => Number(e.offset)));
    assert.equal(judgeAfter('u:1', meta, 99, 0n, range(1, 10), 0, 500).status, 'ok');
    assert.equal(judgeAfter('u:1', meta, 7, 0n, range(2, 10), 0, 500).status, 'lost');
  });

  it('a stream that does not exist is epoch 0, head 0: ok from 0, lost from anywhere else', () => {
    assert.deepEqual(judgeAfter('u:1', null, 0, 0n, [], 0, 500), { status: 'ok', epoch: 0, head: 0n, messages: [] });
    assert.deepEqual(judgeAfter('u:1', null, 7, 0n, [], 0, 500), { status: 'ok', epoch: 0, head: 0n, messages: [] });
    assert.deepEqual(judgeAfter('u:1', null, 7, 5n, range(6, 8), 0, 500), { status: 'lost', epoch: 0, head: 0n, messages: [] });
  });
});

describe('judgeLast', () => {
  it('returns the latest N still held, oldest first, paging past the limit', () => {
    assert.deepEqual(offsets(judgeLast('r:a', meta, 3, range(1, 10), 0, 500)), [8, 9, 10]);
    const paged = judgeLast('r:a', meta, 5, range(6, 10), 0, 2);
    assert.deepEqual([paged.status, paged.next, offsets(paged)], ['more', 8n, [6, 7]]);
    assert.deepEqual(offsets(judgeLast('r:a', meta, 5, [...range(6, 7, 10), ...range(8, 10, 50)], 20, 500)), [8, 9, 10]);
    assert.deepEqual(offsets(judgeLast('r:a', meta, 0, range(1, 10), 0, 500)), []);
  });

  it('a stream that does not exist answers ok, epoch 0, head 0', () => {
    assert.deepEqual(judgeLast('r:a', null, 5, [], 0, 500), { status: 'ok', epoch: 0, head: 0n, messages: [] });
  });
});
