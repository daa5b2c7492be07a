import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An IPv4-mapped IPv6 peer (`::ffff:a.b.c.d`, from a dual-stack socket) is the IPv4 address it maps. */
export function plainIp(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** Parses `a.b.c.d/n`, `x::y/n` or a bare address (one host); null when malformed. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, bits, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (!family) return null;
  const max = family === 'ipv4' ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null;
  const prefix = bits === undefined ? max : Number(bits);
  return prefix <= max ? { address, prefix, family } : null;
}

/**
 * The proxies whose word about the client's address is believed (COMET_TRUSTED_PROXIES): their
 * PROXY protocol headers and their X-Forwarded-For / Forwarded hops. Anyone else's are refused or
 * ignored, so a client cannot name its own address.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const parsed = parseCidr(c);
      if (!parsed) throw new RangeError(`not a CIDR: ${c}`);
      this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
    this.size = cidrs.length;
  }

  trusts(ip: string): boolean {
    if (this.size === 0 || !ip) return false;
    const plain = plainIp(ip);
    if (isIPv4(plain)) return this.list.check(plain, 'ipv4');
    return isIPv6(plain) && this.list.check(plain, 'ipv6');
  }

  /**
   * The client behind `peer`, from the WebSocket upgrade's `Forwarded` (preferred) or
   * `X-Forwarded-For` header: walking the hops from the right, the first one not sent by a trusted
   * proxy. Without a trusted peer the headers are ignored. A malformed hop stops the walk there.
   */
  forwardedClient(peer: ProxyPeer, headers: { forwarded?: string; xForwardedFor?: string }): ProxyPeer {
    if (!this.trusts(peer.address)) return peer;
    const hops = headers.forwarded ? forwardedHops(headers.forwarded) : headers.xForwardedFor ? xffHops(headers.xForwardedFor) : [];
    let client = peer;
    for (let i = hops.length - 1; i >= 0 && this.trusts(client.address); i--) {
      const hop = hops[i];
      if (!hop) break;
      client = hop;
    }
    return client;
  }
}

export interface ProxyPeer {
  address: string;
  /** 0 when the hop did not say. */
  port: number;
}

function hop(text: string): ProxyPeer | null {
  let s = text.trim().replace(/^"(.*)"$/, '$1');
  let port = 0;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(s);
  if (bracketed) {
    s = bracketed[1];
    port = bracketed[2] ? Number(bracketed[2]) : 0;
  } else {
    const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(s);
    if (v4port) {
      s = v4port[1];
      port = Number(v4port[2]);
    }
  }
  if (port > 65_535 || !(isIPv4(s) || isIPv6(s))) return null;
  return { address: isIPv6(s) ? plainIp(s.toLowerCase()) : s, port };
}

/** `X-Forwarded-For: client, proxy1, proxy2` (several header lines arrive joined with commas). */
export function xffHops(value: string): Array<ProxyPeer | null> {
  return value.split(',').map(hop);
}

/** RFC 7239 `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"`: each element's `for`. */
export function forwardedHops(value: string): Array<ProxyPeer | null> {
  return value.split(',').map((element) => {
    const pair = element.split(';').map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('for='));
    return pair ? hop(pair.slice(4)) : null;
  });
}
