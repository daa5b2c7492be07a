import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { CMD_FIN, CMD_NEW, decodeMigration, decodeNew, encodeReconnect, isExtensionCommand, MIGRATE_PROOF } from '@imgate/kcp';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { ConnectionService } from '../connection/connection.service';
import { CometMetrics } from '../comet.metrics';
import { KcpMigrations } from './kcp-migration';
import { EXTENSION_CONV_MIN, kcpNow, type KcpPeer, KcpSession } from './kcp-session';

const HEADER = 24;
const CMD_PUSH = 81;
const END_GRACE_MS = 5_000;

/**
 * KCP over UDP: a session per (conv, peer address), the same framed protocol above it as TCP.
 * An imgate session follows its client to a new address on a proven NEW (KcpMigrations).
 * Bad datagrams are dropped and counted, never thrown; sessions are bounded in number (overall
 * and per address) and released when idle, dead, finished or told FIN.
 */
@Injectable()
export class KcpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private socket?: Socket;
  private readonly sessions = new Map<string, KcpSession>();
  /** imgate convs' sessions by conv, for migration (a conv may repeat across clients). */
  private readonly byConv = new Map<number, KcpSession[]>();
  private readonly migrations: KcpMigrations;
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
    this.migrations = new KcpMigrations(
      { withConv: (conv) => this.byConv.get(conv) ?? [], move: (s, to) => this.move(s, to), send: (d, to) => this.sendTo(d, to) },
      metrics,
      logger,
    );
  }

  private sendTo(datagram: Uint8Array, to: KcpPeer): void {
    this.socket?.send(datagram, to.port, to.ip);
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
      const migration = decodeMigration(msg);
      if (migration) {
        if (migration.ver !== MIGRATE_PROOF) return this.drop('unexpected_command');
        // Stock-range convs never get a secret, nor any extension command back.
        if (migration.conv < EXTENSION_CONV_MIN) return this.drop('bad_new');
        const relayed = this.trusted.has(peer.address) && migration.ip !== '::' ? { ip: migration.ip, port: migration.port } : undefined;
        const moved = this.migrations.onProof(migration, { ip: peer.address, port: peer.port }, relayed);
        if (moved && migration.rest.length > 0 && moved.input(migration.rest) < 0) this.drop('bad_segment');
        if (moved) this.wake(moved);
        return;
      }
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
    const rc = session.input(datagram);
    if (rc < 0) {
      this.drop(rc === -4 ? 'oversized_segment' : 'bad_segment');
      // A session whose very first datagram was bad never really existed.
      if (!session.handler) session.close('bad_segment');
    }
  }

  /** Only a fresh conversation (its first segment is PUSH sn 0, una 0) may open a session. */
  private open(key: string, conv: number, datagram: Uint8Array, peer: RemoteInfo, stamped?: { ip: string; port: number }): KcpSession | undefined {
    const view = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    const fresh = view.length >= HEADER && view[4] === CMD_PUSH && view.readUInt32LE(12) === 0 && view.readUInt32LE(16) === 0;
    if (!fresh) {
      // A known imgate conv from a new address (a NAT rebinding): the client must prove it is the owner.
      if (conv >= EXTENSION_CONV_MIN && this.migrations.onStray(conv, { ip: peer.address, port: peer.port })) return void this.drop('unknown_address');
      // E.g. the comet restarted: tell imgate peers to start over instead of leaving them hanging.
      if (conv >= EXTENSION_CONV_MIN) this.socket?.send(encodeReconnect(conv), peer.port, peer.address);
      return void this.drop('unknown_conv');
    }
    const { maxSessions, maxSessionsPerIp, window, intervalMs, mtu } = this.config.kcp;
    if (!this.accepting) return void this.drop('draining');
    if (this.sessions.size >= maxSessions) return void this.drop('session_limit');
    const ipCount = this.perIp.get(peer.address) ?? 0;
    if (ipCount >= maxSessionsPerIp) return void this.drop('address_limit');
    const session = new KcpSession(key, conv, { ip: peer.address, port: peer.port }, stamped?.ip ?? peer.address, stamped?.port ?? peer.port, {
      window,
      intervalMs,
      mtu,
      send: (d, to) => this.sendTo(d, to),
      wake: (s) => this.wake(s),
      release: (s, reason) => this.release(s, reason),
    });
    this.sessions.set(key, session);
    if (session.extensions) this.byConv.set(conv, [...(this.byConv.get(conv) ?? []), session]);
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
    const same = (this.byConv.get(s.conv) ?? []).filter((x) => x !== s);
    if (same.length) this.byConv.set(s.conv, same);
    else this.byConv.delete(s.conv);
    this.countIp(s.peerIp, -1);
    this.metrics.kcpSessions.set(this.sessions.size);
    this.logger.debug({ key: s.key, reason }, 'kcp session released');
    s.handler?.onClose();
  }

  private countIp(ip: string, delta: number): void {
    const n = (this.perIp.get(ip) ?? 0) + delta;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  /** A proven migration: the session answers to its new address from now on. */
  private move(s: KcpSession, to: KcpPeer): boolean {
    if (to.ip !== s.peer.ip) {
      if ((this.perIp.get(to.ip) ?? 0) >= this.config.kcp.maxSessionsPerIp) return false;
      this.countIp(s.peer.ip, -1);
      this.countIp(to.ip, 1);
    }
    const key = `${s.conv}|${to.ip}|${to.port}`;
    // A half-open conversation at the new address (the client's own first segment, resent) gives way.
    this.sessions.get(key)?.close('replaced_by_migration');
    this.sessions.delete(s.key);
    s.key = key;
    s.peer = to;
    this.sessions.set(key, s);
    return true;
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
      socket.bind(port, this.config.listenHost, () => resolve());
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
