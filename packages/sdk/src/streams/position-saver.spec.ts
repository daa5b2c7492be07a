import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeTime, settle } from '../testing/fake-time.js';
import { PositionSaver } from './position-saver.js';
import type { PositionStore, StoredPositions } from './position-store.js';

class RecordingStore implements PositionStore {
  readonly saves: Array<{ at: number; positions: StoredPositions }> = [];
  fail = false;
  delayMs = 0;
  active = 0;
  maxActive = 0;
  constructor(private readonly time: FakeTime) {}
  load(): StoredPositions {
    return {};
  }
  async save(positions: StoredPositions): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    if (this.delayMs) await new Promise<void>((resolve) => this.time.setTimeout(resolve, this.delayMs));
    this.active--;
    if (this.fail) throw new Error('disk full');
    this.saves.push({ at: this.time.now(), positions });
  }
}

function setup(intervalMs = 1_000) {
  const time = new FakeTime();
  const store = new RecordingStore(time);
  let offset = 0;
  const errors: unknown[] = [];
  const saver = new PositionSaver(store, () => ({ 'u:1': { epoch: 1, offset: String(offset) } }), time, time, { intervalMs, onError: (e) => errors.push(e) });
  const move = (o: number) => {
    offset = o;
    saver.touch();
  };
  return { time, store, saver, move, errors };
}

describe('PositionSaver', () => {
  it('saves the first change at once and later ones at most every intervalMs, each with the newest positions', async () => {
    const { time, store, move } = setup();
    move(1);
    await time.advance(0);
    for (let o = 2; o <= 50; o++) {
      move(o);
      await time.advance(20);
    }
    await time.advance(2_000);
    assert.deepEqual(store.saves.map((s) => [s.at, s.positions['u:1']!.offset]), [[0, '1'], [1_000, '50']]);
    assert.equal(time.scheduled, 0);
  });

  it('saves nothing when nothing changed', async () => {
    const { time, store, saver } = setup();
    await saver.flush();
    await time.advance(5_000);
    assert.equal(store.saves.length, 0);
  });

  it('flush saves now and cancels the scheduled save; stop cancels without saving', async () => {
    const { time, store, saver, move } = setup();
    move(1);
    await time.advance(0);
    move(2);
    await saver.flush();
    assert.deepEqual(store.saves.map((s) => s.positions['u:1']!.offset), ['1', '2']);
    assert.equal(time.scheduled, 0);
    move(3);
    saver.stop();
    await time.advance(5_000);
    assert.equal(store.saves.length, 2);
  });

  it('runs saves one at a time, each reading the positions when it starts', async () => {
    const { time, store, saver, move } = setup(10);
    store.delayMs = 100;
    move(1); // starts at 0, takes 100 ms
    await time.advance(15);
    move(2);
    const done = saver.flush(); // waits for the first save
    await time.advance(35);
    move(3); // before the queued save starts: it saves 3, and no third save follows
    await time.advance(300);
    await done;
    assert.equal(store.maxActive, 1);
    assert.deepEqual(store.saves.map((s) => [s.at, s.positions['u:1']!.offset]), [[100, '1'], [200, '3']]);
  });

  it('reports a failed save and saves again on the next change', async () => {
    const { time, store, move, errors } = setup();
    store.fail = true;
    move(1);
    await time.advance(0);
    await settle();
    assert.equal(errors.length, 1);
    store.fail = false;
    move(2);
    await time.advance(1_000);
    assert.deepEqual(store.saves.map((s) => s.positions['u:1']!.offset), ['2']);
  });
});
