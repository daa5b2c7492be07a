// CRC-32 IEEE 802.3 (reflected polynomial 0xEDB88320), the zlib/PNG crc.
// Slice-by-8: eight 256-entry tables let the loop fold 8 bytes per step.

const POLY = 0xedb88320;

/** TABLE[k * 256 + n]: the crc of byte n followed by k zero bytes. */
const TABLE = buildTable();

function buildTable(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/**
 * Continues a CRC-32 over data[start, end): `crc32Update(crc32(a), b)` equals
 * the crc of a followed by b, as zlib's crc32(crc, buf, len).
 */
export function crc32Update(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  if (!(start >= 0 && start <= end && end <= data.length)) {
    throw new RangeError(`crc32 range [${start}, ${end}) is outside 0..${data.length}`);
  }
  const t = TABLE;
  let c = ~crc;
  let i = start;
  for (const last8 = end - 8; i <= last8; i += 8) {
    c ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    c =
      t[1792 + (c & 0xff)] ^
      t[1536 + ((c >>> 8) & 0xff)] ^
      t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < end; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of data[start, end), unsigned; matches zlib: crc32("123456789") = 0xCBF43926. */
export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  return crc32Update(0, data, start, end);
}
