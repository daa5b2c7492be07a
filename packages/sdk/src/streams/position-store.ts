import { isStreamName, parseOffset, U32_MAX } from '@imgate/protocol';

/** A stream's saved position: every message up to `offset` (decimal u64) under `epoch` was handed to the app. */
export interface StoredPosition {
  epoch: number;
  offset: string;
}

/** Saved positions by stream name. */
export type StoredPositions = Record<string, StoredPosition>;

/**
 * Where positions survive a restart of the app, so a reconnect syncs from them. load() answers {}
 * when nothing (or nothing readable) was saved; neither method should throw.
 */
export interface PositionStore {
  /** The positions saved last. */
  load(): StoredPositions | Promise<StoredPositions>;
  /** Replaces the saved positions. */
  save(positions: StoredPositions): void | Promise<void>;
}

/** The part of the Web Storage API a LocalStoragePositionStore uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Keeps positions in memory: for tests, and apps that keep nothing across restarts. */
export class MemoryPositionStore implements PositionStore {
  private saved: StoredPositions = {};

  /** A copy of the positions saved last. */
  load(): StoredPositions {
    return copy(this.saved);
  }

  /** Keeps a copy. */
  save(positions: StoredPositions): void {
    this.saved = copy(positions);
  }
}

/**
 * Keeps positions in localStorage under `<prefix>positions` as JSON. Where there is no
 * localStorage (Node, workers, storage disabled) it keeps nothing; a corrupt or foreign value
 * loads as the valid entries it holds, or {}; a full storage loses the save, not the app.
 */
export class LocalStoragePositionStore implements PositionStore {
  readonly key: string;
  private readonly storage: StorageLike | undefined;

  /** `storage` defaults to the global localStorage, if reachable. */
  constructor(opts: { prefix?: string; storage?: StorageLike } = {}) {
    this.key = `${opts.prefix ?? 'imgate:'}positions`;
    this.storage = opts.storage ?? globalStorage();
  }

  /** Whether there is a storage to keep positions in. */
  get available(): boolean {
    return this.storage !== undefined;
  }

  /** The valid entries of what was saved, or {}. */
  load(): StoredPositions {
    try {
      const raw = this.storage?.getItem(this.key);
      return raw ? sanitizePositions(JSON.parse(raw)) : {};
    } catch {
      return {};
    }
  }

  /** Writes the positions; a storage that refuses (quota, privacy mode) is ignored. */
  save(positions: StoredPositions): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(positions));
    } catch {
      // Positions only spare a resync; losing one save costs a reset at worst.
    }
  }
}

/** The well-formed entries of a value read back from storage (valid stream name, u32 epoch, decimal u64 offset). */
export function sanitizePositions(v: unknown): StoredPositions {
  const out: StoredPositions = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [stream, p] of Object.entries(v as Record<string, unknown>)) {
    if (!isStreamName(stream) || typeof p !== 'object' || p === null) continue;
    const { epoch, offset } = p as Record<string, unknown>;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch > U32_MAX) continue;
    if (parseOffset(offset) === undefined) continue;
    out[stream] = { epoch, offset: offset as string };
  }
  return out;
}

function copy(positions: StoredPositions): StoredPositions {
  const out: StoredPositions = {};
  for (const [stream, p] of Object.entries(positions)) out[stream] = { epoch: p.epoch, offset: p.offset };
  return out;
}

/** The global localStorage; reading it throws in some browsers when storage is disabled. */
function globalStorage(): StorageLike | undefined {
  try {
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    return storage && typeof storage.getItem === 'function' && typeof storage.setItem === 'function' ? storage : undefined;
  } catch {
    return undefined;
  }
}
