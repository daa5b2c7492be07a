import { type ClusterTrust, ConfigError, Env, type InfraConfig, loadClusterTrust, loadInfraConfig } from '@imgate/common';
import { type ApiAuthConfig, loadApiAuthConfig } from './api-auth/api-auth.config';
import { type AccessConfig, loadAccessConfig } from './access/access.config';
import { type JwtConfig, loadJwtConfig } from './auth/jwt.config';

export type AuthMode = 'jwt' | 'dev';

export interface LogicConfig {
  infra: InfraConfig;
  httpPort: number;
  /** 0.0.0.0, or 127.0.0.1 when the embedded default runs without API keys. */
  httpHost: string;
  grpcAddress: string;
  /** Who may call the push/online/admin API (HTTP and gRPC). */
  api: ApiAuthConfig;
  /** How comets prove who they are (mTLS or CLUSTER_SECRET). */
  cluster: ClusterTrust;
  auth: {
    mode: AuthMode;
    /** Keys (by kid or algorithm), JWKS, issuer/audience, max age and clock skew (docs/security.md, "Tokens"). */
    jwt: JwtConfig;
  };
  /** Longest heartbeat interval a client may use (seconds); comets cut a connection silent for two of them. */
  heartbeatSec: number;
  /** Adaptive heartbeat: clients start at min and grow by step while heartbeats succeed. */
  heartbeatMinSec: number;
  heartbeatStepSec: number;
  /** Session expiry in Redis, refreshed by heartbeats (seconds). */
  sessionTtlSec: number;
  pushMaxBytes: number;
  /** A push not acknowledged by Kafka within this is answered 503. */
  pushTimeoutMs: number;
  /** Push records waiting for Kafka, at most; more are refused with 503 at once (memory stays flat). */
  pushQueueMax: number;
  pushMaxReceivers: number;
  upstreamMaxBytes: number;
  /** How often the sessions of comets gone from the registry are removed (0: never). */
  sweepMs: number;
  /** A comet's online snapshot expires this long after its last report. */
  onlineTtlMs: number;
  /** How often logic re-reads every comet's online snapshot. */
  onlineRefreshMs: number;
  /**
   * Connection keys one user may have in the session index at once (live ones and ones not yet
   * expired); a Connect past it is refused with RESOURCE_EXHAUSTED. 0: no bound.
   */
  maxKeysPerMid: number;
  /** Rooms one comet's RenewOnline may report; a bigger report is refused (INVALID_ARGUMENT). */
  maxOnlineRooms: number;
  /** Reliable delivery (docs/delivery.md): history bounds per stream kind and the idempotency window. */
  delivery: DeliveryConfig;
  /** Room/operation permissions, join hook, multi-login, kicks, revocations (docs/security.md). */
  access: AccessConfig;
  /** Session resume (docs/protocol.md): how long a lost session can be taken back (0 = off), and pushes by key held meanwhile. */
  resume: { windowSec: number; holdMax: number };
}

export interface DeliveryConfig {
  /** `LOGIC_STREAMS=off`: no history; pushes keep their ids, records carry no positions, the opt-in is ignored. */
  streams: boolean;
  userHistorySize: number;
  userHistoryTtlSec: number;
  roomHistorySize: number;
  roomHistoryTtlSec: number;
  /** Push idempotency keys and op-30 client message ids are held this long. */
  idempotencyTtlSec: number;
}

export interface LogicDefaults {
  /** `dev` only for the embedded default, which keeps its client listeners on loopback then. */
  authMode: AuthMode;
  /** Without LOGIC_API_KEYS: refuse to boot (a role) or serve loopback only (the embedded default). */
  keyless?: 'refuse' | 'loopback';
  /** The embedded default's in-process CLUSTER_SECRET. */
  clusterSecret?: string;
}

export function loadLogicConfig(env: Env, defaults: LogicDefaults = { authMode: 'jwt' }): LogicConfig {
  const heartbeatSec = env.int('LOGIC_HEARTBEAT_SEC', 300, 1, 3_600);
  const heartbeatMinSec = env.int('LOGIC_HEARTBEAT_MIN_SEC', Math.min(60, heartbeatSec), 1, heartbeatSec);
  const config: LogicConfig = {
    infra: loadInfraConfig(env),
    httpPort: env.port('LOGIC_HTTP_PORT', 3111),
    httpHost: '0.0.0.0',
    grpcAddress: env.address('LOGIC_GRPC_ADDR', '0.0.0.0:3119'),
    // Checked last (below), so an earlier bad value is the one reported.
    api: { mode: 'key', keys: [], corsOrigins: [] },
    cluster: { mode: 'none' },
    auth: loadAuth(env, defaults.authMode),
    heartbeatSec,
    heartbeatMinSec,
    heartbeatStepSec: env.int('LOGIC_HEARTBEAT_STEP_SEC', 30, 1, 3_600),
    sessionTtlSec: env.int('LOGIC_SESSION_TTL_SEC', heartbeatSec * 3, heartbeatSec + 1, 86_400),
    pushMaxBytes: env.int('LOGIC_PUSH_MAX_BYTES', 256 * 1024, 1, 4 * 1024 * 1024),
    pushTimeoutMs: env.int('LOGIC_PUSH_TIMEOUT_MS', 3_000, 100, 120_000),
    pushQueueMax: env.int('LOGIC_PUSH_QUEUE_MAX', 10_000, 1, 10_000_000),
    pushMaxReceivers: env.int('LOGIC_PUSH_MAX_RECEIVERS', 1_000, 1, 100_000),
    upstreamMaxBytes: env.int('LOGIC_UPSTREAM_MAX_BYTES', 64 * 1024, 1, 4 * 1024 * 1024),
    sweepMs: env.int('LOGIC_SWEEP_MS', 5_000, 0, 3_600_000),
    onlineTtlMs: env.int('LOGIC_ONLINE_TTL_MS', 30_000, 1_000, 3_600_000),
    onlineRefreshMs: env.int('LOGIC_ONLINE_REFRESH_MS', 1_000, 100, 60_000),
    maxKeysPerMid: env.int('LOGIC_MAX_KEYS_PER_MID', 256, 0, 1_000_000),
    maxOnlineRooms: env.int('LOGIC_MAX_ONLINE_ROOMS', 50_000, 1, 1_000_000),
    delivery: {
      streams: env.oneOf('LOGIC_STREAMS', ['on', 'off'] as const, 'on') === 'on',
      userHistorySize: env.int('LOGIC_USER_HISTORY_SIZE', 1_000, 1, 100_000),
      userHistoryTtlSec: env.int('LOGIC_USER_HISTORY_TTL_SEC', 604_800, 1, 90 * 86_400),
      roomHistorySize: env.int('LOGIC_ROOM_HISTORY_SIZE', 300, 1, 100_000),
      roomHistoryTtlSec: env.int('LOGIC_ROOM_HISTORY_TTL_SEC', 3_600, 1, 90 * 86_400),
      idempotencyTtlSec: env.int('LOGIC_IDEMPOTENCY_TTL_SEC', 600, 1, 7 * 86_400),
    },
    access: loadAccessConfig(env),
    resume: {
      windowSec: env.int('LOGIC_RESUME_WINDOW_SEC', 60, 0, 3_600),
      holdMax: env.int('LOGIC_RESUME_HOLD_MAX', 100, 0, 10_000),
    },
  };
  config.api = loadApiAuthConfig(env, defaults.keyless ?? 'refuse');
  if (config.api.mode === 'loopback') config.httpHost = '127.0.0.1';
  config.cluster = loadClusterTrust(env, 'LOGIC', { secret: defaults.clusterSecret });
  return config;
}

/**
 * Dev auth (clients name their own mid) is the embedded default's, or explicit twice over: a
 * stray LOGIC_AUTH_MODE=dev in a real deployment would let anyone log in as anyone.
 */
function loadAuth(env: Env, def: AuthMode): LogicConfig['auth'] {
  const mode = env.oneOf('LOGIC_AUTH_MODE', ['jwt', 'dev'] as const, def);
  if (mode === 'dev' && def !== 'dev' && !env.bool('IMGATE_ALLOW_DEV_AUTH', false)) {
    throw new ConfigError('LOGIC_AUTH_MODE', 'is dev, which trusts every client to name its own user id: refused unless IMGATE_ALLOW_DEV_AUTH=1 is set too (tests, goim drop-in trials); production uses jwt');
  }
  return { mode, jwt: loadJwtConfig(env, mode === 'jwt') };
}

/** What an operator must know is open: logged at boot and shown on /health. */
export function securityWarnings(config: LogicConfig): string[] {
  const out: string[] = [];
  if (config.api.mode === 'none') out.push('LOGIC_API_AUTH=none: the push/online/admin API takes calls without a key from anyone who reaches logic (goim drop-in mode)');
  if (config.api.mode === 'loopback') out.push('no LOGIC_API_KEYS: the push API takes keyless calls from this host only (HTTP listens on 127.0.0.1)');
  if (config.cluster.mode === 'none') out.push('CLUSTER_AUTH=none: anyone who reaches logic gRPC can act as a comet');
  if (config.auth.mode === 'dev') out.push('LOGIC_AUTH_MODE=dev: clients name their own user id (no token check)');
  return out;
}
