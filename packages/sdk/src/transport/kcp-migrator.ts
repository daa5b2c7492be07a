import { encodeMigrateProof, type HmacSha256, MIGRATE_ACK, type MigrationMessage, verifyMigration } from '@imgate/kcp';

/** Why the client proved its session again: it changed its socket, heard nothing, or the comet asked. */
/** Datagrams within probeMs that make a link count as streaming. */
const STREAMING_DATAGRAMS = 4;

export type MigrationCause = 'rebind' | 'silence' | 'asked';

/** A migration the comet acknowledged: its session now answers to `address`. */
export interface MigratedInfo {
  cause: MigrationCause;
  /** From the first NEW to the comet's ack, ms. */
  ms: number;
  /** The client's address as the comet sees it (`ip:port`), from the ack. */
  address: string;
  /** False when the ack names the same address as the previous one (a probe after silence found the path unchanged). */
  moved: boolean;
}

export interface MigratorOptions {
  /** Silence (with data awaiting an ack) after which the client proves its session anew, ms. Default 1000. */
  probeMs?: number;
  /** Time between two NEWs while one is unacknowledged, ms. Default 250. */
  resendMs?: number;
}

/**
 * The client half of KCP migration (docs/protocol.md, KCP), without sockets: holds the session
 * secret from the auth reply and a strictly increasing counter, says when a NEW (ver 2) is due —
 * at once after a rebind or a prove-request, after `probeMs` of silence while data waits for an
 * ack or after a stream of datagrams stopped, and again every `resendMs` until the comet
 * acknowledges — and checks the ack's MAC. An idle link sends nothing extra.
 */
export class KcpMigrator {
  private secret: Uint8Array | undefined;
  private counter = 0n;
  private heardAt: number;
  private address: string | undefined;
  /** When the last few datagrams arrived: a link that was streaming and falls silent is suspect even with nothing in flight. */
  private readonly recent: number[] = [];
  private pending: { cause: MigrationCause; since: number; sentAt: number } | undefined;
  private readonly probeMs: number;
  private readonly resendMs: number;

  constructor(
    private readonly conv: number,
    private readonly hmac: HmacSha256,
    now: number,
    opts: MigratorOptions = {},
  ) {
    this.heardAt = now;
    this.probeMs = Math.max(1, opts.probeMs ?? 1_000);
    this.resendMs = Math.max(1, opts.resendMs ?? 250);
  }

  /** Takes `kcp_secret` from the auth reply; false when the comet gave none (a stock-range conv, an older comet). */
  authenticated(reply: Record<string, unknown>): boolean {
    const b64 = reply.kcp_secret;
    if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
    const bin = atob(b64);
    if (bin.length < 16) return false;
    this.secret = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return true;
  }

  get migrating(): boolean {
    return this.pending !== undefined;
  }

  /** A datagram of this session arrived. */
  heard(now: number): void {
    this.heardAt = now;
    this.recent.push(now);
    if (this.recent.length > STREAMING_DATAGRAMS) this.recent.shift();
  }

  /** Was the link busy just before it went quiet (STREAMING_DATAGRAMS within probeMs)? */
  private get streaming(): boolean {
    return this.recent.length === STREAMING_DATAGRAMS && this.recent[STREAMING_DATAGRAMS - 1] - this.recent[0] < this.probeMs;
  }

  /** Starts proving the session (after a rebind, or asked by the comet): the NEW to send now, if there is a secret. */
  start(cause: MigrationCause, now: number): Uint8Array | undefined {
    if (!this.secret) return undefined;
    // A rebind outranks a probe that was already under way: it is what the app will want to hear about.
    if (!this.pending || cause === 'rebind') this.pending = { cause, since: now, sentAt: now };
    this.pending.sentAt = now;
    return this.proof();
  }

  /** The NEW due now, if any: the resend of an unacknowledged one, or a probe after silence with data in flight. */
  due(now: number, inFlight: boolean): Uint8Array | undefined {
    if (!this.secret) return undefined;
    if (this.pending) {
      if (now - this.pending.sentAt < this.resendMs) return undefined;
      this.pending.sentAt = now;
      return this.proof();
    }
    if (!(inFlight || this.streaming) || now - this.heardAt < this.probeMs) return undefined;
    return this.start('silence', now);
  }

  /** Ms until due() may have something, for the caller's timer. */
  nextDueIn(now: number, inFlight: boolean): number {
    if (!this.secret) return Infinity;
    if (this.pending) return Math.max(0, this.resendMs - (now - this.pending.sentAt));
    return inFlight || this.streaming ? Math.max(0, this.probeMs - (now - this.heardAt)) : Infinity;
  }

  /** A migration message from the comet: the finished migration for a good ack, else undefined. */
  acked(m: MigrationMessage, now: number): MigratedInfo | undefined {
    if (m.ver !== MIGRATE_ACK || !this.secret || !this.pending) return undefined;
    if (m.conv !== this.conv || m.counter > this.counter || !verifyMigration(this.hmac, this.secret, m)) return undefined;
    const done = this.pending;
    this.pending = undefined;
    const address = m.ip.includes(':') ? `[${m.ip}]:${m.port}` : `${m.ip}:${m.port}`;
    const moved = address !== this.address;
    this.address = address;
    return { cause: done.cause, ms: now - done.since, address, moved };
  }

  private proof(): Uint8Array {
    this.counter += 1n;
    return encodeMigrateProof(this.hmac, this.secret!, this.conv, this.counter);
  }
}
