import { encodeFin, encodeKick, Kcp } from '@imgate/kcp';
import { randomBytes } from 'node:crypto';
import type { Outbound } from '../push/outbound';
import type { Link, LinkHandler } from './link';

/** Convs from 0x80000000 up are imgate's SDK and relay: only they may be sent extension commands. */
export const EXTENSION_CONV_MIN = 0x80000000;

/** Where a session's datagrams go: the UDP peer (the client, or a relay in front of it). */
export interface KcpPeer {
  ip: string;
  port: number;
}

export interface KcpSessionOptions {
  window: number;
  /** COMET_KCP_MTU: the largest datagram sent, and (less 24) the longest segment accepted. */
  mtu: number;
  intervalMs: number;
  send(datagram: Uint8Array, to: KcpPeer): void;
  /** Asks the listener to flush this session soon (after a write or an input). */
  wake(session: KcpSession): void;
  release(session: KcpSession, reason: string): void;
}

/** KCP's clock: wrapping uint32 milliseconds, monotonic. */
export const kcpNow = (): number => Math.floor(performance.now()) >>> 0;

/** One client's KCP conversation: the ARQ engine, and a Link for the connection above it. */
export class KcpSession implements Link {
  readonly transport = 'kcp' as const;
  readonly kcp: Kcp;
  readonly extensions: boolean;
  handler?: LinkHandler;
  lastSeen = Date.now();
  nextUpdate = 0;
  released = false;
  private ending = false;
  private readonly chunk: number;
  /** Migration secret (imgate convs only): proves a NEW from a new address is this client's. */
  readonly secret: Uint8Array | undefined;
  /** True once the secret went out in the auth reply: only then can a NEW move the session. */
  secretIssued = false;
  /** The highest migration counter accepted: a NEW must carry a higher one (no replays). */
  counter = 0n;
  /** When a prove-request (NEW ver 4) last went out, to send at most a few per second. */
  provedAt = 0;

  constructor(
    /** The listener's map key, `conv|ip|port`; changes when the session migrates. */
    public key: string,
    readonly conv: number,
    public peer: KcpPeer,
    /** The client's address: the peer's, or the one a trusted relay stamped. */
    public remoteAddress: string,
    public remotePort: number,
    private readonly opts: KcpSessionOptions,
  ) {
    this.extensions = conv >= EXTENSION_CONV_MIN;
    this.secret = this.extensions ? randomBytes(32) : undefined;
    this.kcp = new Kcp(conv, (d) => opts.send(d, this.peer));
    // Low-latency settings on our side; the peer keeps whatever it chose (KCP does not need both to match).
    this.kcp.setNodelay(1, opts.intervalMs, 2, 1);
    this.kcp.setWndSize(opts.window, opts.window);
    this.kcp.setMtu(opts.mtu);
    this.kcp.strictMss = true;
    this.kcp.update(kcpNow());
    // Leave room so a message never needs as many fragments as a stock peer's receive window.
    this.chunk = this.kcp.mss * 100;
  }

  /** Feeds a datagram to the engine and hands every completed message to the connection. */
  input(datagram: Uint8Array): number {
    this.lastSeen = Date.now();
    const rc = this.kcp.input(datagram);
    if (rc < 0) return rc;
    for (let msg = this.kcp.recv(); msg && !this.released; msg = this.kcp.recv()) this.handler?.onData(msg);
    this.opts.wake(this);
    return rc;
  }

  write(out: Outbound, checksum: boolean): void {
    if (this.released || this.ending) return;
    const bytes = out.stream(checksum);
    for (let i = 0; i < bytes.length; i += this.chunk) {
      if (this.kcp.send(bytes.subarray(i, i + this.chunk)) < 0) return this.destroy();
    }
    this.opts.wake(this);
  }

  /** The auth reply carries the migration secret to imgate peers (docs/protocol.md, KCP). */
  authExtras(): Record<string, unknown> {
    if (!this.secret) return {};
    this.secretIssued = true;
    return { kcp_secret: Buffer.from(this.secret).toString('base64') };
  }

  get peerIp(): string {
    return this.peer.ip;
  }

  get pendingBytes(): number {
    return this.kcp.waitSnd() * this.kcp.mss;
  }

  /** Flushed by the listener's tick: once everything is acknowledged (or after 5 s) the session goes. */
  end(): void {
    this.ending = true;
    this.endedAt = Date.now();
    this.opts.wake(this);
  }

  endedAt = 0;

  get finished(): boolean {
    return this.ending && this.kcp.waitSnd() === 0;
  }

  destroy(): void {
    this.close('closed');
  }

  /** Releases the session now; imgate peers are told (FIN, or KICK with a reason). */
  close(reason: string, kick?: { code: number; reason: string }): void {
    if (this.released) return;
    if (this.extensions) this.opts.send(kick ? encodeKick(this.conv, kick.code, kick.reason) : encodeFin(this.conv), this.peer);
    this.opts.release(this, reason);
  }
}

