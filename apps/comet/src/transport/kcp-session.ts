import { encodeFin, encodeKick, Kcp } from '@imgate/kcp';
import type { Outbound } from '../push/outbound';
import type { Link, LinkHandler } from './link';

/** Convs from 0x80000000 up are imgate's SDK and relay: only they may be sent extension commands. */
export const EXTENSION_CONV_MIN = 0x80000000;

export interface KcpSessionOptions {
  window: number;
  intervalMs: number;
  send(datagram: Uint8Array): void;
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

  constructor(
    readonly key: string,
    readonly conv: number,
    readonly peerIp: string,
    /** The client's address: the peer's, or the one a trusted relay stamped. */
    public remoteAddress: string,
    public remotePort: number,
    private readonly opts: KcpSessionOptions,
  ) {
    this.extensions = conv >= EXTENSION_CONV_MIN;
    this.kcp = new Kcp(conv, (d) => opts.send(d));
    // Low-latency settings on our side; the peer keeps whatever it chose (KCP does not need both to match).
    this.kcp.setNodelay(1, opts.intervalMs, 2, 1);
    this.kcp.setWndSize(opts.window, opts.window);
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
    if (this.extensions) this.opts.send(kick ? encodeKick(this.conv, kick.code, kick.reason) : encodeFin(this.conv));
    this.opts.release(this, reason);
  }
}

