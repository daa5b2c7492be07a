import type { Clock, TimerHandle, Timers } from '../timers.js';

interface Task {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets promise callbacks queued so far run (a macrotask boundary drains the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock and timers that move only when a test advances them. */
export class FakeTime implements Clock, Timers {
  private t = 0;
  private nextId = 0;
  private readonly tasks = new Map<number, Task>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.nextId;
    this.tasks.set(id, { id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.tasks.delete(handle as number);
  }

  get scheduled(): number {
    return this.tasks.size;
  }

  /** Moves time forward by ms, running each due timer at its own time, in order, with promise callbacks in between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      let next: Task | undefined;
      for (const task of this.tasks.values()) if (task.at <= end && (!next || task.at < next.at || (task.at === next.at && task.id < next.id))) next = task;
      if (!next) break;
      this.tasks.delete(next.id);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
    await settle();
  }
}
