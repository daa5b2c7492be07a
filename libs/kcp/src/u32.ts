/**
 * Unsigned 32-bit arithmetic for sequence numbers and millisecond clocks.
 * KCP counters wrap at 2^32 (the C engine stores them as uint32), so every
 * sum is folded back into range and every comparison goes through timeDiff.
 */

/** Folds any integer into [0, 2^32). */
export function u32(value: number): number {
  return value >>> 0;
}

/**
 * Signed distance from `earlier` to `later`, wrap-safe like ikcp's _itimediff:
 * the uint32 difference read as int32, so 5 is "after" 0xfffffffb.
 */
export function timeDiff(later: number, earlier: number): number {
  return (later - earlier) | 0;
}
