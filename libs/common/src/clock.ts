/** Time as an injectable dependency, so expiry and timeouts can be tested with a fake. */
export interface Clock {
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };

/** The process's structured logger (pino), provided to every role. */
export const LOGGER = Symbol('LOGGER');
