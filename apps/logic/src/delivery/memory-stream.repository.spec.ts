import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStreamRepository } from './memory-stream.repository';
import type { StreamSettings } from './stream.repository';

function setup(settings: StreamSettings = { userSize: 5, userTtlSec: 10, roomSize: 3, roomTtlSec: 2 }) {
  const clock = { t: 1_000_000, now() { return this.t; } };
  return { clock, repo: new MemoryStreamRepository(clock, settings) };
}
const msg = (stream: string, id: number) => ({ stream, id: BigInt(id), operation: 1000, body: new Uint8Array([id]) });
const offsets = (r: { messages: Array<{ offset: bigint }> }) => r.messages.map((m) => Number(m.offset));

describe('MemoryStreamRepository', () => {
  it('numbers each stream from 1, in the order given, under one non-zero epoch', async () => {
    const { repo } = setup();
    const out = await repo.append([msg('u:1', 10), msg('r:a', 11), msg('u:1', 12)]);
    assert.deepEqual(out.map((a) => [a.stream, a.offset]), [['u:1', 1n], ['r:a', 1n], ['u:1', 2n]]);
    assert.ok(out[0].epoch > 0 && out[0].epoch < 2 ** 32 && out[0].epoch === out[2].epoch);
    const r = await repo.read('u:1', { epoch: out[0].epoch, after: 0n }, 10);
    assert.deepEqual(r.messages.map((m) => [m.offset, m.id, m.body[0]]), [[1n, 10n, 10], [2n, 12n, 12]]);
  });

  it('keeps a copy of the body', async () => {
    const { repo } = setup();
    const item = msg('u:1', 1);
    await repo.append([item]);
    item.body[0] = 99;
    assert.equal((await repo.read('u:1', { last: 1 }, 10)).messages[0].body[0], 1);
  });

  it('trims to the size bound per kind: an old position is lost, a recent one is not', async () => {
    const { repo } = setup();
    for (let i = 1; i <= 8; i++) await repo.append([msg('u:1', i), msg('r:a', i)]);
    const { epoch } = (await repo.heads(['u:1'])).get('u:1') ?? { epoch: 0 };
    assert.deepEqual(await repo.read('u:1', { epoch, after: 2n }, 10), { status: 'lost', epoch, head: 8n, messages: [] });
    assert.deepEqual(offsets(await repo.read('u:1', { epoch, after: 3n }, 10)), [4, 5, 6, 7, 8]);
    assert.deepEqual(offsets(await repo.read('r:a', { last: 10 }, 10)), [6, 7, 8]);
  });

  it('ages entries out by their append time, and forgets the stream after twice the age bound', async () => {
    const { repo, clock } = setup();
    const [{ epoch }] = await repo.append([msg('r:a', 1)]);
    clock.t += 1500;
    await repo.append([msg('r:a', 2)]);
    clock.t += 1000; // entry 1 is 2.5 s old (bound 2 s), entry 2 is 1 s old
    assert.equal((await repo.read('r:a', { epoch, after: 0n }, 10)).status, 'lost');
    assert.deepEqual(offsets(await repo.read('r:a', { epoch, after: 1n }, 10)), [2]);
    clock.t += 1000; // history expired (2 s after the last append), meta still there
    assert.deepEqual(await repo.read('r:a', { epoch, after: 1n }, 10), { status: 'lost', epoch, head: 2n, messages: [] });
    assert.deepEqual(await repo.read('r:a', { epoch, after: 2n }, 10), { status: 'ok', epoch, head: 2n, messages: [] });
    clock.t += 2000; // meta expired too: a new history under a new epoch
    assert.deepEqual((await repo.heads(['r:a'])).get('r:a'), { epoch: 0, head: 0n });
    assert.equal((await repo.read('r:a', { epoch, after: 2n }, 10)).status, 'lost');
    const [again] = await repo.append([msg('r:a', 3)]);
    assert.equal(again.offset, 1n);
    assert.notEqual(again.epoch, epoch);
  });

  it('pages with `more` and `next`', async () => {
    const { repo } = setup({ userSize: 100, userTtlSec: 10, roomSize: 3, roomTtlSec: 2 });
    const [{ epoch }] = await repo.append(Array.from({ length: 7 }, (_, i) => msg('u:1', i + 1)));
    const first = await repo.read('u:1', { epoch, after: 0n }, 3);
    assert.deepEqual([first.status, first.next, offsets(first)], ['more', 4n, [1, 2, 3]]);
    const second = await repo.read('u:1', { epoch, after: (first.next ?? 0n) - 1n }, 3);
    assert.deepEqual([second.status, offsets(second)], ['more', [4, 5, 6]]);
    const third = await repo.read('u:1', { epoch, after: 6n }, 3);
    assert.deepEqual([third.status, third.next, offsets(third)], ['ok', undefined, [7]]);
  });

  it('rejects names that are not streams', async () => {
    const { repo } = setup();
    await assert.rejects(repo.append([msg('x:1', 1)]), RangeError);
    await assert.rejects(repo.heads(['u:abc']), RangeError);
  });

  it('sweep drops expired streams', async () => {
    const { repo, clock } = setup();
    await repo.append([msg('r:a', 1), msg('u:1', 1)]);
    clock.t += 5000;
    repo.sweep();
    const heads = await repo.heads(['r:a', 'u:1']);
    assert.equal(heads.get('r:a')?.head, 0n);
    assert.equal(heads.get('u:1')?.head, 1n);
  });
});
