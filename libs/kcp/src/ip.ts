/**
 * IP address text <-> the 16-byte form carried by the NEW extension
 * (network byte order; IPv4 as the mapped address ::ffff:a.b.c.d).
 * Strict on purpose: the address is what the comet trusts as the client's.
 */

export const IP_BYTES = 16;

const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/; // no leading zeros: "010" is octal to some parsers
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_OCTET.test(p))) return null;
  return parts.map(Number);
}

/** Groups of one side of "::" as 16-bit numbers; an IPv4 tail counts as two groups. */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  if (halves.length === 1) {
    const groups = parseGroups(text, true);
    return groups !== null && groups.length === 8 ? groups : null;
  }
  const head = parseGroups(halves[0], false);
  const tail = parseGroups(halves[1], true);
  // "::" stands for at least one zero group.
  if (head === null || tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** "1.2.3.4", "::ffff:1.2.3.4" or any IPv6 text to 16 bytes; null if malformed (zone ids included). */
export function parseIp(text: string): Uint8Array | null {
  const out = new Uint8Array(IP_BYTES);
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    if (v4 === null) return null;
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(v4, 12);
    return out;
  }
  const groups = parseIpv6(text);
  if (groups === null) return null;
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** True for ::ffff:a.b.c.d. */
export function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * How a mapped IPv4 address reads: `dotted` as the bare quad (what the KCP NEW stamp means: the
 * client's IPv4 address), `mapped` as `::ffff:a.b.c.d` (RFC 5952's form, and what a dual-stack
 * socket reports, as for an address a PROXY v2 header carries in its IPv6 family).
 */
export type Ipv4MappedText = 'dotted' | 'mapped';

/** 16 bytes to text in RFC 5952 form: lowercase, the longest run of two or more zero groups as `::`. */
export function formatIp(bytes: Uint8Array, ipv4Mapped: Ipv4MappedText = 'dotted'): string {
  if (bytes.length !== IP_BYTES) throw new RangeError(`an IP address is ${IP_BYTES} bytes, got ${bytes.length}`);
  if (isIpv4Mapped(bytes)) {
    const quad = Array.from(bytes.subarray(12)).join('.');
    return ipv4Mapped === 'dotted' ? quad : `::ffff:${quad}`;
  }

  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[i * 2] << 8) | bytes[i * 2 + 1]);
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}
