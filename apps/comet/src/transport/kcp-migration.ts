import type { Logger } from '@imgate/common';
import { encodeMigrateAck, encodeProveRequest, encodeReconnect, type HmacSha256, type MigrationProof, verifyMigration } from '@imgate/kcp';
import { createHmac } from 'node:crypto';
import type { CometMetrics } from '../comet.metrics';
import type { KcpPeer, KcpSession } from './kcp-session';

export const hmacSha256: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();

/** Least time between two prove-requests for one session: enough to wake a client, too few to reflect a flood. */
const PROVE_INTERVAL_MS = 200;

/** What migration needs from the listener that owns the sessions and the socket. */
export interface MigrationHost {
  /** Open sessions with this conv (convs are random, so rarely more than one). */
  withConv(conv: number): readonly KcpSession[];
  /** Re-keys the session to its new peer; false when the new address is at its session limit. */
  move(session: KcpSession, to: KcpPeer): boolean;
  send(datagram: Uint8Array, to: KcpPeer): void;
}

/**
 * KCP connection migration (docs/protocol.md, KCP): a session keeps its conv, key, rooms and
 * engine state when its client's address changes, but only for a NEW (ver 2) whose MAC proves
 * the session secret from the auth reply and whose counter is above every one accepted before.
 * Anything else is ignored and counted in `imgate_comet_kcp_migrations_total{result}`.
 */
export class KcpMigrations {
  constructor(
    private readonly host: MigrationHost,
    private readonly metrics: CometMetrics,
    private readonly logger: Logger,
  ) {}

  /** A proof from `peer`: the session it moved (or refreshed) to `peer`, or undefined when refused. */
  onProof(m: MigrationProof, peer: KcpPeer, stamped?: KcpPeer): KcpSession | undefined {
    const candidates = this.host.withConv(m.conv).filter((s) => s.secret && s.secretIssued && !s.released);
    if (candidates.length === 0) {
      // The session is gone (released, or the comet restarted): the client must start over.
      this.host.send(encodeReconnect(m.conv), peer);
      return void this.count('unknown_conv');
    }
    const session = candidates.find((s) => verifyMigration(hmacSha256, s.secret!, m));
    if (!session) return void this.count('forged');
    if (m.counter <= session.counter) return void this.count('replayed');
    const moved = session.peer.ip !== peer.ip || session.peer.port !== peer.port;
    if (moved && !this.host.move(session, peer)) return void this.count('address_limit');
    session.counter = m.counter;
    if (moved) {
      const from = `${session.remoteAddress}`;
      session.remoteAddress = stamped?.ip ?? peer.ip;
      session.remotePort = stamped?.port ?? peer.port;
      // What was lost went down the old path: resend it now instead of at a backed-off rto.
      session.kcp.pathChanged();
      this.logger.info({ conv: session.conv, from, to: `${peer.ip}:${peer.port}` }, 'kcp session migrated');
    } else if (stamped) {
      session.remoteAddress = stamped.ip;
      session.remotePort = stamped.port;
    }
    session.lastSeen = Date.now();
    this.host.send(encodeMigrateAck(hmacSha256, session.secret!, m.conv, m.counter, peer.ip, peer.port), peer);
    this.count(moved ? 'moved' : 'refreshed');
    return session;
  }

  /**
   * An ordinary segment of a known imgate conv from an address its session does not have (a NAT
   * rebound the client's port): ask the client to prove itself (NEW ver 4). True when handled.
   */
  onStray(conv: number, peer: KcpPeer): boolean {
    const sessions = this.host.withConv(conv).filter((s) => s.secretIssued && !s.released);
    if (sessions.length === 0) return false;
    const now = Date.now();
    for (const s of sessions) {
      if (now - s.provedAt < PROVE_INTERVAL_MS) return true;
      s.provedAt = now;
    }
    this.host.send(encodeProveRequest(conv, peer.ip, peer.port), peer);
    return true;
  }

  private count(result: string): void {
    this.metrics.kcpMigrations.inc({ result });
  }
}
