/** Wall-clock milliseconds; injectable so tests run on a fake clock. */
export interface Clock {
  now(): number;
}

/** An opaque timer handle: a number in browsers, an object in Node. */
export type TimerHandle = unknown;

/** The timers the client schedules with; injectable so tests advance time by hand. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
