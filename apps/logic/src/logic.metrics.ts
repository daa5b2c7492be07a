import { Inject, Injectable } from '@nestjs/common';
import { grpcServerTimer, METRICS, type MetricsRegistry } from '@imgate/common';
import { Counter, Gauge, Histogram } from 'prom-client';

@Injectable()
export class LogicMetrics {
  readonly pushes: Counter<'kind' | 'result'>;
  readonly auth: Counter<'result'>;
  readonly resumes: Counter<'result'>;
  readonly queueWrite: Histogram<'topic'>;
  readonly grpc: ReturnType<typeof grpcServerTimer>;
  readonly apiRefused: Counter<'transport' | 'reason'>;
  readonly peerRefused: Counter<'reason'>;
  readonly queueDepth: Gauge;
  readonly sweptSessions: Counter;
  /** Set by whoever holds the producer; read at scrape time. */
  pushQueueDepth: () => number = () => 0;
  /** Refused by a limit: keys_per_mid (Connect), online_rooms (RenewOnline). */
  readonly limited: Counter<'limit'>;

  constructor(@Inject(METRICS) registry: MetricsRegistry) {
    const registers = [registry];
    this.pushes = new Counter({ name: 'imgate_logic_pushes_total', help: 'Push requests by kind (keys, mids, room, all) and result (ok, duplicate, completed: a retry queued a push stored earlier, invalid, failed)', labelNames: ['kind', 'result'], registers });
    this.auth = new Counter({ name: 'imgate_logic_auth_total', help: 'Connect (auth) results', labelNames: ['result'], registers });
    this.resumes = new Counter({ name: 'imgate_logic_resumes_total', help: 'Session resume attempts: ok, refused (unknown, expired, used or another user\'s token)', labelNames: ['result'], registers });
    this.queueWrite = new Histogram({
      name: 'imgate_logic_queue_write_seconds',
      help: 'Time for the queue (Kafka) to acknowledge a write',
      labelNames: ['topic'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    this.grpc = grpcServerTimer(registry, 'logic');
    this.apiRefused = new Counter({
      name: 'imgate_logic_api_refused_total',
      help: 'Push/online/admin API calls refused, by transport (http, grpc) and reason (missing_key, bad_key, browser_origin, cors_preflight, not_loopback)',
      labelNames: ['transport', 'reason'],
      registers,
    });
    this.peerRefused = new Counter({
      name: 'imgate_logic_peer_refused_total',
      help: 'Comet-only gRPC calls refused: the caller proved no comet identity, or acted as another comet (reason)',
      labelNames: ['reason'],
      registers,
    });
    this.sweptSessions = new Counter({ name: 'imgate_logic_swept_sessions_total', help: 'Sessions removed because their comet left the registry (crash)', registers });
    const depth = () => this.pushQueueDepth();
    this.queueDepth = new Gauge({
      name: 'imgate_logic_push_queue_depth',
      help: 'Push records waiting for Kafka (queued or in flight); bounded by LOGIC_PUSH_QUEUE_MAX',
      registers,
      collect() {
        this.set(depth());
      },
    });
    this.limited = new Counter({ name: 'imgate_logic_limited_total', help: 'Requests refused by a limit (keys_per_mid, online_rooms)', labelNames: ['limit'], registers });
  }
}
