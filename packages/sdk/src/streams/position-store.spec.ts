import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalStoragePositionStore, MemoryPositionStore, sanitizePositions, type StorageLike } from './position-store.js';

class FakeStorage implements StorageLike {
  readonly items = new Map<string, string>();
  full = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
}

const POSITIONS = { 'u:1': { epoch: 5, offset: '17' }, 'r:live://1': { epoch: 4294967295, offset: '18446744073709551615' } };

describe('MemoryPositionStore', () => {
  it('loads {} at first, then copies of what was saved', () => {
    const store = new MemoryPositionStore();
    assert.deepEqual(store.load(), {});
    const saved = structuredClone(POSITIONS);
    store.save(saved);
    saved['u:1'].offset = '99';
    const loaded = store.load();
    assert.deepEqual(loaded, POSITIONS);
    loaded['u:1']!.offset = '1';
    assert.deepEqual(store.load(), POSITIONS);
  });
});

describe('LocalStoragePositionStore', () => {
  it('saves JSON under <prefix>positions and loads it back', () => {
    const storage = new FakeStorage();
    const store = new LocalStoragePositionStore({ prefix: 'app1:', storage });
    assert.equal(store.key, 'app1:positions');
    assert.equal(store.available, true);
    assert.deepEqual(store.load(), {});
    store.save(POSITIONS);
    assert.deepEqual(JSON.parse(storage.items.get('app1:positions')!), POSITIONS);
    assert.deepEqual(new LocalStoragePositionStore({ prefix: 'app1:', storage }).load(), POSITIONS);
    assert.deepEqual(new LocalStoragePositionStore({ prefix: 'app2:', storage }).load(), {});
    assert.equal(new LocalStoragePositionStore({ storage }).key, 'imgate:positions');
  });

  it('tolerates corrupt and foreign values', () => {
    const storage = new FakeStorage();
    const store = new LocalStoragePositionStore({ storage });
    for (const raw of ['{not json', '[]', '"x"', 'null', '42', '']) {
      storage.items.set(store.key, raw);
      assert.deepEqual(store.load(), {}, raw);
    }
    storage.items.set(store.key, JSON.stringify({ ...POSITIONS, 'x:1': { epoch: 1, offset: '1' }, 'u:2': { epoch: -1, offset: '1' }, 'u:3': { epoch: 1, offset: 5 }, 'u:4': null }));
    assert.deepEqual(store.load(), POSITIONS);
  });

  it('keeps nothing, and throws nothing, where there is no storage or it refuses', () => {
    const none = new LocalStoragePositionStore(); // Node has no localStorage
    assert.equal(none.available, false);
    none.save(POSITIONS);
    assert.deepEqual(none.load(), {});
    const storage = new FakeStorage();
    storage.full = true;
    assert.doesNotThrow(() => new LocalStoragePositionStore({ storage }).save(POSITIONS));
  });

  it('finds the global localStorage, and survives one that throws on access', () => {
    const storage = new FakeStorage();
    const g = globalThis as { localStorage?: unknown };
    try {
      Object.defineProperty(globalThis, 'localStorage', { configurable: true, get: () => storage });
      new LocalStoragePositionStore().save(POSITIONS);
      assert.deepEqual(new LocalStoragePositionStore().load(), POSITIONS);
      Object.defineProperty(globalThis, 'localStorage', {
        configurable: true,
        get: () => {
          throw new Error('SecurityError');
        },
      });
      assert.equal(new LocalStoragePositionStore().available, false);
    } finally {
      delete g.localStorage;
    }
  });
});

describe('sanitizePositions', () => {
  it('keeps only well-formed entries', () => {
    assert.deepEqual(sanitizePositions(undefined), {});
    assert.deepEqual(sanitizePositions({ 'u:1': { epoch: 1, offset: '01' }, 'u:2': { epoch: 1.5, offset: '1' }, 'u:3': { epoch: 2 ** 32, offset: '1' }, 'u:4': { epoch: 0, offset: '0' } }), {
      'u:4': { epoch: 0, offset: '0' },
    });
  });
});
