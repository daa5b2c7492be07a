import { Inject, Injectable } from '@nestjs/common';
import { grpcServerTimer, METRICS, type MetricsRegistry } from '@imgate/common';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The comet's counters; transports and connections report here. */
@Injectable()
export class CometMetrics {
  readonly connections: Gauge<'transport'>;
  readonly accepted: Counter<'transport'>;
  readonly closed: Counter<'reason'>;
  readonly protocolErrors: Counter<'reason'>;
  readonly auth: Counter<'result'>;
  readonly packetsIn: Counter<'transport'>;
  readonly packetsOut: Counter<'transport'>;
  readonly bytesIn: Counter<'transport'>;
  readonly bytesOut: Counter<'transport'>;
  readonly pushLatency: Histogram;
  readonly grpc: ReturnType<typeof grpcServerTimer>;
  readonly peerRefused: Counter<'reason'>;
  readonly kcpSessions: Gauge;
  readonly rooms: Gauge;
  /** Set by whoever knows the room count; read at scrape time so the gauge is never stale. */
  roomCount: () => number = () => 0;
  readonly kcpDropped: Counter<'reason'>;
  readonly kcpMigrations: Counter<'result'>;
  readonly sessionRenewals: Counter<'result'>;
  /** Requests and connections refused by a limit (docs/security.md), by limit. */
  readonly limited: Counter<'limit'>;
  readonly proxyHeaders: Counter<'result'>;
  readonly tlsReloads: Counter<'result'>;
  readonly tlsHandshakeFailures: Counter<'listener' | 'reason'>;
  readonly tlsCertNotAfter: Gauge;

  constructor(@Inject(METRICS) registry: MetricsRegistry) {
    const registers = [registry];
    this.connections = new Gauge({ name: 'imgate_comet_connections', help: 'Open client connections', labelNames: ['transport'], registers });
    this.accepted = new Counter({ name: 'imgate_comet_connections_accepted_total', help: 'Accepted client connections', labelNames: ['transport'], registers });
    this.closed = new Counter({ name: 'imgate_comet_connections_closed_total', help: 'Closed client connections by reason', labelNames: ['reason'], registers });
    this.protocolErrors = new Counter({ name: 'imgate_comet_protocol_errors_total', help: 'Connections ended for bad input, by reason', labelNames: ['reason'], registers });
    this.auth = new Counter({ name: 'imgate_comet_auth_total', help: 'Auth attempts by result', labelNames: ['result'], registers });
    this.packetsIn = new Counter({ name: 'imgate_comet_packets_in_total', help: 'Packets received from clients', labelNames: ['transport'], registers });
    this.packetsOut = new Counter({ name: 'imgate_comet_packets_out_total', help: 'Packets written to clients', labelNames: ['transport'], registers });
    this.bytesIn = new Counter({ name: 'imgate_comet_bytes_in_total', help: 'Bytes received from clients', labelNames: ['transport'], registers });
    this.bytesOut = new Counter({ name: 'imgate_comet_bytes_out_total', help: 'Bytes written to clients', labelNames: ['transport'], registers });
    this.grpc = grpcServerTimer(registry, 'comet');
    this.peerRefused = new Counter({
      name: 'imgate_comet_peer_refused_total',
      help: 'gRPC calls refused because the caller proved no job or logic identity (reason)',
      labelNames: ['reason'],
      registers,
    });
    const roomCount = () => this.roomCount();
    this.rooms = new Gauge({
      name: 'imgate_comet_rooms',
      help: 'Rooms with members on this comet',
      registers,
      collect() {
        this.set(roomCount());
      },
    });
    this.limited = new Counter({
      name: 'imgate_comet_limited_total',
      help: 'Refused by a limit: conns_per_ip, auth_per_ip, upstream, room_ops, rooms_total, operation_range, strikes (closed)',
      labelNames: ['limit'],
      registers,
    });
    this.kcpSessions = new Gauge({ name: 'imgate_comet_kcp_sessions', help: 'Open KCP sessions', registers });
    this.kcpDropped = new Counter({ name: 'imgate_comet_kcp_dropped_total', help: 'UDP datagrams dropped by the KCP listener, by reason', labelNames: ['reason'], registers });
    this.kcpMigrations = new Counter({ name: 'imgate_comet_kcp_migrations_total', help: 'KCP migration NEWs (ver 2) by result: moved, refreshed, forged, replayed, unknown_conv, address_limit', labelNames: ['result'], registers });
    this.sessionRenewals = new Counter({
      name: 'imgate_comet_session_renewals_total',
      help: 'Session refreshes sent to logic in batches, by result (renewed, restored after expiry, failed)',
      labelNames: ['result'],
      registers,
    });
    this.proxyHeaders = new Counter({
      name: 'imgate_comet_proxy_headers_total',
      help: 'PROXY protocol headers on TCP and WebSocket: accepted, local, absent (optional mode), missing (required mode), malformed, untrusted (refused), timeout',
      labelNames: ['result'],
      registers,
    });
    this.tlsReloads = new Counter({
      name: 'imgate_comet_tls_reloads_total',
      help: 'Client TLS certificate reloads after a file change: ok (new pair serving), failed (refused, the old pair kept)',
      labelNames: ['result'],
      registers,
    });
    this.tlsHandshakeFailures = new Counter({
      name: 'imgate_comet_tls_handshake_failures_total',
      help: 'Client TLS handshakes that failed, by listener (wss, tls) and reason (not_tls, untrusted, timeout, reset, other)',
      labelNames: ['listener', 'reason'],
      registers,
    });
    this.tlsCertNotAfter = new Gauge({ name: 'imgate_comet_tls_cert_not_after_seconds', help: 'Expiry of the client TLS certificate being served (unix seconds)', registers });
    this.pushLatency = new Histogram({
      name: 'imgate_comet_push_latency_seconds',
      help: 'From logic accepting a push to the comet writing it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}
