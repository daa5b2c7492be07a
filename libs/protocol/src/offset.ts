// Offsets and ids are u64: bigint in code, decimal strings in JSON (they pass 2^53).

export const U64_MAX = (1n << 64n) - 1n;
export const U32_MAX = 0xffffffff;

const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;

/** A canonical decimal u64 (no sign, no leading zeros) as a bigint, or undefined. */
export function parseOffset(s: unknown): bigint | undefined {
  if (typeof s !== 'string' || !DECIMAL.test(s)) return undefined;
  const v = BigInt(s);
  return v <= U64_MAX ? v : undefined;
}

export function isU64(v: bigint): boolean {
  return v >= 0n && v <= U64_MAX;
}

export function isU32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= U32_MAX;
}
