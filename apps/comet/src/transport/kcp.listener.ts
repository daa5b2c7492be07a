import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { CMD_FIN, CMD_NEW, decodeNew, encodeReconnect, isExtensionCommand } from '@imgate/kcp';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { ConnectionService } from '../connection/connection.service';
import { CometMetrics } from '../comet.metrics';
import { EXTENSION_CONV_MIN, kcpNow, KcpSession } from './kcp-session';

const HEADER = 24;
const CMD_PUSH = 81;
const END_GRACE_MS = 5_000;

/**
 * KCP over UDP: a session per (conv, peer address), the same framed protocol above it as TCP.
 * Bad datagrams are dropped and counted, never thrown; sessions are bounded in number (overall
 * and per address) and released when idle, dead, finished or told FIN.
 */
@Injectable()
export class KcpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private socket?: Socket;
  private readonly sessions = new Map<string, KcpSession>();
  private readonly perIp = new Map<string, number>();
  private readonly toFlush = new Set<KcpSession>();
  private flushScheduled = false;
  private accepting = true;
  private timer?: NodeJS.Timeout;
  private readonly trusted: Set<string>;

  constructor(
    @Inject(COMET_CONFIG) private readonly config: CometConfig,
    private readonly connections: ConnectionService,
    private readonly metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.trusted = new Set(config.kcp.trustedRelays);
  }

  get size(): number {
    return this.sessions.size;
  }

  private drop(reason: string): void {
    this.metrics.kcpDropped.inc({ reason });
  }

  private onDatagram(msg: Buffer, peer: RemoteInfo): void {
    if (msg.length < HEADER) return this.drop('short');
    const conv = msg.readUInt32LE(0);
    const cmd = msg[4];
    const key = `${conv}|${peer.address}|${peer.port}`;
    let datagram: Uint8Array = msg;
    let stamped: { ip: string; port: number } | undefined;
    if (isExtensionCommand(cmd)) {
      if (cmd === CMD_FIN) return this.sessions.get(key)?.close('fin');
      if (cmd !== CMD_NEW) return this.drop('unexpected_command');
      const nm = decodeNew(msg);
      if (!nm) return this.drop('bad_new');
      if (!this.trusted.has(peer.address)) return this.drop('untrusted_new');
      stamped = { ip: nm.ip, port: nm.port };
      datagram = nm.rest;
      if (datagram.length === 0) return;
    }
    let session = this.sessions.get(key);
    if (!session) {
      session = this.open(key, conv, datagram, peer, stamped);
      if (!session) return;
    } else if (stamped) {
      session.remoteAddress = stamped.ip;
      session.remotePort = stamped.port;
    }
    if (session.input(datagram) < 0) {
      this.drop('bad_segment');
      // A session whose very first datagram was bad never really existed.
      if (!session.handler) session.close('bad_segment');
    }
  }

  /** Only a fresh conversation (its first segment is PUSH sn 0, una 0) may open a session. */
  private open(key: string, conv: number, datagram: Uint8Array, peer: RemoteInfo, stamped?: { ip: string; port: number }): KcpSession | undefined {
    const view = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    const fresh = view.length >= HEADER && view[4] === CMD_PUSH && view.readUInt32LE(12) === 0 && view.readUInt32LE(16) === 0;
    if (!fresh) {
      // E.g. the comet restarted: tell imgate peers to start over instead of leaving them hanging.
      if (conv >= EXTENSION_CONV_MIN) this.socket?.send(encodeReconnect(conv), peer.port, peer.address);
      return void this.drop('unknown_conv');
    }
    const { maxSessions, maxSessionsPerIp, window, intervalMs } = this.config.kcp;
    if (!this.accepting) return void this.drop('draining');
    if (this.sessions.size >= maxSessions) return void this.drop('session_limit');
    const ipCount = this.perIp.get(peer.address) ?? 0;
    if (ipCount >= maxSessionsPerIp) return void this.drop('address_limit');
    const session = new KcpSession(key, conv, peer.address, stamped?.ip ?? peer.address, stamped?.port ?? peer.port, {
      window,
      intervalMs,
      send: (d) => this.socket?.send(d, peer.port, peer.address),
      wake: (s) => this.wake(s),
      release: (s, reason) => this.release(s, reason),
    });
    this.sessions.set(key, session);
    this.perIp.set(peer.address, ipCount + 1);
    this.metrics.kcpSessions.set(this.sessions.size);
    session.handler = this.connections.accept(session, false);
    return session;
  }

  private wake(s: KcpSession): void {
    this.toFlush.add(s);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const x of this.toFlush) if (!x.released) x.kcp.flush();
      this.toFlush.clear();
    });
  }

  private release(s: KcpSession, reason: string): void {
    if (s.released || this.sessions.get(s.key) !== s) return;
    s.released = true;
    this.sessions.delete(s.key);
    this.toFlush.delete(s);
    const n = (this.perIp.get(s.peerIp) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(s.peerIp);
    else this.perIp.set(s.peerIp, n);
    this.metrics.kcpSessions.set(this.sessions.size);
    this.logger.debug({ key: s.key, reason }, 'kcp session released');
    s.handler?.onClose();
  }

  /** ikcp_update for the sessions that are due, and housekeeping: idle, dead, finished. */
  private tick(): void {
    const now = kcpNow();
    const wall = Date.now();
    for (const s of this.sessions.values()) {
      if (wall - s.lastSeen > this.config.kcp.idleMs) {
        s.close('idle', { code: 1, reason: 'idle' });
        continue;
      }
      if (s.kcp.deadLink) {
        this.release(s, 'dead_link');
        continue;
      }
      if (s.finished || (s.endedAt > 0 && wall - s.endedAt > END_GRACE_MS)) {
        s.close('ended');
        continue;
      }
      if (((s.nextUpdate - now) | 0) <= 0) {
        s.kcp.update(now);
        s.nextUpdate = s.kcp.check(now);
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const { enabled, port, intervalMs } = this.config.kcp;
    if (!enabled) return;
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 });
    socket.on('message', (msg, peer) => this.onDatagram(msg, peer));
    socket.on('error', (err) => this.logger.warn({ err: err.message }, 'kcp socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '0.0.0.0', () => resolve());
    });
    this.socket = socket;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.logger.info({ port }, 'KCP (UDP) listening');
  }

  /** New conversations are refused while draining; open ones carry on. */
  stopAccepting(): void {
    this.accepting = false;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    for (const s of [...this.sessions.values()]) s.close('shutdown');
    this.socket?.close();
  }
}
