import { type ClusterTrust, ConfigError, Env, type InfraConfig, loadClusterTrust, loadInfraConfig } from '@imgate/common';
import { MAX_PACKET_LEN_DEFAULT } from '@imgate/protocol';
import type { ConnectionRateConfig } from './limits/connection-rates';
import type { RateSetting } from './limits/token-bucket';
import { KeyPairError, loadKeyPair } from './transport/tls-key-pair';
import { parseCidr } from './transport/trusted-proxies';

export interface CometConfig {
  infra: InfraConfig;
  id: string;
  /** Host job (and logic) use to reach this comet's gRPC port, as registered. */
  advertiseHost: string;
  /** Host clients use to reach this comet's listeners (node list, op 20); defaults to advertiseHost. */
  publicHost: string;
  /** Ports clients are given, when a proxy or port mapping differs from the listen ports. */
  publicPorts: { tcp: number; ws: number; kcp: number };
  /** IPv4 address the client listeners (TCP, WebSocket, KCP) bind: 0.0.0.0, or loopback under the embedded default's dev auth. */
  listenHost: string;
  tcpPort: number;
  wsPort: number;
  grpcPort: number;
  httpPort: number;
  /** Logic's gRPC target: host:port, or a grpc-js URI such as dns:///logic:3119. */
  logicTarget: string;
  logicTimeoutMs: number;
  /** How job and logic prove themselves to this comet, and this comet to logic (mTLS or CLUSTER_SECRET). */
  cluster: ClusterTrust;
  buckets: number;
  /** A connection that has not authenticated by then is closed. */
  handshakeTimeoutMs: number;
  /** Largest packet a client may send (header included). */
  maxClientPacket: number;
  /** Output a connection may have queued before it is cut off as a slow consumer. */
  maxPendingBytes: number;
  /** How often a connection's session expiry is refreshed in logic, at most. */
  sessionRefreshMs: number;
  registerIntervalMs: number;
  /** A registered comet stays ready through a Redis outage this short (its connections still work). */
  redisGraceMs: number;
  weight: number;
  region: string;
  /** Rooms one connection may be in (its main room included). */
  maxRooms: number;
  /** How often room counts go to logic (goim's RenewOnline). */
  onlineReportMs: number;
  /** How often gathered client acks (op 18) go to logic, at most. */
  ackFlushMs: number;
  /** On SIGTERM: how long clients get to move to another comet before the rest are closed. */
  drainTimeoutMs: number;
  /** Clients asked to move per second during a drain (their reconnects are a herd on the other comets and logic). */
  drainRate: number;
  /** Limits per client address and per connection (docs/security.md, "Limits and rate limits"). */
  limits: CometLimits;
  /** Proxies (load balancers) in front of the TCP and WebSocket listeners. */
  proxy: {
    /** CIDRs whose PROXY protocol headers and X-Forwarded-For / Forwarded hops are believed. */
    trusted: string[];
    /** `required`: a trusted peer must send a PROXY header; `optional`: it may. */
    protocol: 'optional' | 'required';
  };
  /** Client TLS (WSS and TLS over TCP beside the plain listeners); absent when COMET_TLS_CERT/KEY are not set. */
  tls?: CometTlsConfig;
  kcp: {
    enabled: boolean;
    port: number;
    maxSessions: number;
    maxSessionsPerIp: number;
    /** Largest datagram sent; a segment longer than mtu - 24 from a client is dropped and counted. */
    mtu: number;
    /** A session with no datagram for this long is released. */
    idleMs: number;
    /** Relays whose NEW segments (real client address) are believed. */
    trustedRelays: string[];
    /** How often sessions are updated (ikcp_update), at most. */
    intervalMs: number;
    window: number;
  };
}

export interface CometTlsConfig {
  /** PEM file paths; watched, and reloaded when they change. */
  certFile: string;
  keyFile: string;
  /** Secure WebSocket (`/sub`) and TLS over TCP listen ports, and the ones clients are given. */
  wssPort: number;
  tlsPort: number;
  publicWssPort: number;
  publicTlsPort: number;
  /** Quiet time after the last file event before the pair is read again (renames and writes come in bursts). */
  reloadDebounceMs: number;
  /** A check of the files this often even without file events (network file systems, missed events). */
  reloadCheckMs: number;
}

export interface CometLimits extends ConnectionRateConfig {
  /** Connections one client address may hold on this comet over TCP, WS and KCP together; 0: no limit. */
  maxConnsPerIp: number;
  /** Auth attempts (op 7) per client address; rate 0: no limit. */
  authPerIp: RateSetting;
  /** Rooms with members on this comet; a join that would add one more is refused. */
  maxRoomsTotal: number;
}

function loadLimits(env: Env): CometLimits {
  const rate = (rateVar: string, rate: number, burstVar: string, burst: number): RateSetting => ({
    rate: env.int(rateVar, rate, 0, 1_000_000),
    burst: env.int(burstVar, burst, 1, 1_000_000),
  });
  return {
    maxConnsPerIp: env.int('COMET_MAX_CONNS_PER_IP', 256, 0, 10_000_000),
    authPerIp: rate('COMET_AUTH_RATE_PER_IP', 20, 'COMET_AUTH_BURST_PER_IP', 100),
    upstream: rate('COMET_UPSTREAM_RATE', 50, 'COMET_UPSTREAM_BURST', 100),
    roomOps: rate('COMET_ROOM_OPS_RATE', 5, 'COMET_ROOM_OPS_BURST', 20),
    strikes: env.int('COMET_RATE_LIMIT_STRIKES', 50, 0, 1_000_000),
    maxRoomsTotal: env.int('COMET_MAX_ROOMS_TOTAL', 50_000, 1, 1_000_000),
  };
}

const HOST = /^[A-Za-z0-9.:[\]-]{1,253}$/;

/** host:port, with an IPv6 literal in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function cidrList(env: Env, name: string): string[] {
  const items = env.list(name, []);
  const bad = items.find((c) => !parseCidr(c));
  if (bad !== undefined) throw new ConfigError(name, `must be CIDRs such as 10.0.0.0/8 or fd00::/8, comma-separated (got "${bad}")`);
  return items;
}

/** COMET_TLS_CERT and COMET_TLS_KEY: both (TLS on) or neither; the pair must load now, not at the first client. */
function loadTls(env: Env, plainPorts: Record<string, number>): CometTlsConfig | undefined {
  const certFile = env.optional('COMET_TLS_CERT');
  const keyFile = env.optional('COMET_TLS_KEY');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) throw new ConfigError('COMET_TLS_CERT', 'must be set too: COMET_TLS_CERT and COMET_TLS_KEY go together (client TLS)');
  if (keyFile === undefined) throw new ConfigError('COMET_TLS_KEY', 'must be set too: COMET_TLS_CERT and COMET_TLS_KEY go together (client TLS)');
  try {
    loadKeyPair(certFile, keyFile);
  } catch (err) {
    if (!(err instanceof KeyPairError)) throw err;
    if (err.file === 'pair') throw new ConfigError('COMET_TLS_KEY', `is not the key of the certificate in COMET_TLS_CERT (${err.message})`);
    throw new ConfigError(err.file === 'cert' ? 'COMET_TLS_CERT' : 'COMET_TLS_KEY', `${err.message} (${err.file === 'cert' ? certFile : keyFile})`);
  }
  const wssPort = env.port('COMET_WSS_PORT', 3103);
  const tlsPort = env.port('COMET_TLS_PORT', 3104);
  // Port 0 (tests: any free port) never clashes.
  const taken = [...Object.entries(plainPorts), ['COMET_WSS_PORT', wssPort] as const];
  for (const [name, port] of [['COMET_WSS_PORT', wssPort], ['COMET_TLS_PORT', tlsPort]] as const) {
    const clash = taken.find(([other, p]) => other !== name && p === port && port !== 0);
    if (clash) throw new ConfigError(name, `must differ from ${clash[0]} (both ${port}/tcp)`);
  }
  return {
    certFile,
    keyFile,
    wssPort,
    tlsPort,
    publicWssPort: env.port('COMET_PUBLIC_WSS_PORT', wssPort),
    publicTlsPort: env.port('COMET_PUBLIC_TLS_PORT', tlsPort),
    reloadDebounceMs: env.int('COMET_TLS_RELOAD_DEBOUNCE_MS', 500, 10, 60_000),
    reloadCheckMs: env.int('COMET_TLS_RELOAD_CHECK_MS', 60_000, 100, 86_400_000),
  };
}

/** Loopback addresses: what the client listeners are held to while clients are not authenticated (dev auth). */
const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * `loopbackOnly`: the embedded default runs dev auth (clients name their own user id), so nothing
 * beyond this host may reach the client listeners.
 */
export function loadCometConfig(env: Env, hostname: string, defaults: { drainTimeoutMs: number; clusterSecret?: string; loopbackOnly?: boolean } = { drainTimeoutMs: 30_000 }): CometConfig {
  // IPv4 only: the KCP socket is udp4.
  const listenHost = env.str('COMET_LISTEN_HOST', defaults.loopbackOnly ? '127.0.0.1' : '0.0.0.0', /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
  if (defaults.loopbackOnly && !LOOPBACK.test(listenHost)) {
    throw new ConfigError('COMET_LISTEN_HOST', `must be a loopback address while the embedded default runs dev auth, which trusts every client's user id (got "${listenHost}"); to take clients from other hosts set LOGIC_AUTH_MODE=jwt with LOGIC_JWT_SECRET, LOGIC_JWT_KEYS or LOGIC_JWT_JWKS_URL`);
  }
  const grpcPort = env.port('COMET_GRPC_PORT', 3109);
  const advertiseHost = env.str('COMET_ADVERTISE_HOST', '127.0.0.1', HOST);
  const tcpPort = env.port('COMET_TCP_PORT', 3101);
  const wsPort = env.port('COMET_WS_PORT', 3102);
  const kcpPort = env.port('COMET_KCP_PORT', 3103);
  const limits = loadLimits(env);
  const httpPort = env.port('COMET_HTTP_PORT', 3100);
  const config: Omit<CometConfig, 'cluster'> = {
    infra: loadInfraConfig(env),
    id: env.str('COMET_ID', `comet-${hostname}-${grpcPort}`, /^[A-Za-z0-9_.:-]{1,128}$/),
    advertiseHost,
    publicHost: env.str('COMET_PUBLIC_HOST', advertiseHost, HOST),
    publicPorts: {
      tcp: env.port('COMET_PUBLIC_TCP_PORT', tcpPort),
      ws: env.port('COMET_PUBLIC_WS_PORT', wsPort),
      kcp: env.port('COMET_PUBLIC_KCP_PORT', kcpPort),
    },
    listenHost,
    tcpPort,
    wsPort,
    grpcPort,
    httpPort,
    logicTarget: env.str('COMET_LOGIC_ADDR', '127.0.0.1:3119', /^([a-z]+:\/\/\/?)?[A-Za-z0-9.[\]:-]+:\d{1,5}$/),
    logicTimeoutMs: env.int('COMET_LOGIC_TIMEOUT_MS', 5_000, 100, 60_000),
    buckets: env.int('COMET_BUCKETS', 32, 1, 4_096),
    handshakeTimeoutMs: env.int('COMET_HANDSHAKE_TIMEOUT_MS', 10_000, 100, 300_000),
    maxClientPacket: env.int('COMET_MAX_CLIENT_PACKET', 64 * 1024, 64, MAX_PACKET_LEN_DEFAULT),
    maxPendingBytes: env.int('COMET_MAX_PENDING_BYTES', 256 * 1024, 4 * 1024, 1024 * 1024 * 1024),
    sessionRefreshMs: env.int('COMET_SESSION_REFRESH_MS', 60_000, 1_000, 3_600_000),
    registerIntervalMs: env.int('COMET_REGISTER_INTERVAL_MS', 5_000, 200, 60_000),
    redisGraceMs: env.int('COMET_REDIS_GRACE_MS', 30_000, 0, 3_600_000),
    weight: env.int('COMET_WEIGHT', 10, 0, 1_000),
    region: env.str('COMET_REGION', '', /^[A-Za-z0-9_.-]{0,64}$/),
    maxRooms: env.int('COMET_MAX_ROOMS', 8, 1, 1_000),
    onlineReportMs: env.int('COMET_ONLINE_REPORT_MS', 5_000, 100, 600_000),
    ackFlushMs: env.int('COMET_ACK_FLUSH_MS', 500, 10, 60_000),
    drainTimeoutMs: env.int('COMET_DRAIN_TIMEOUT_MS', defaults.drainTimeoutMs, 0, 3_600_000),
    drainRate: env.int('COMET_DRAIN_RATE', 500, 1, 10_000_000),
    limits,
    proxy: {
      trusted: cidrList(env, 'COMET_TRUSTED_PROXIES'),
      protocol: env.oneOf('COMET_PROXY_PROTOCOL', ['optional', 'required'] as const, 'optional'),
    },
    tls: loadTls(env, { COMET_TCP_PORT: tcpPort, COMET_WS_PORT: wsPort, COMET_GRPC_PORT: grpcPort, COMET_HTTP_PORT: httpPort }),
    kcp: {
      enabled: env.bool('COMET_KCP', true),
      port: kcpPort,
      maxSessions: env.int('COMET_KCP_MAX_SESSIONS', 100_000, 1, 10_000_000),
      // A backstop per UDP peer (sessions still closing included; a relay is one peer): twice the
      // per-address connection limit, so a direct client meets that one first, with a reason.
      maxSessionsPerIp: env.int('COMET_KCP_MAX_SESSIONS_PER_IP', limits.maxConnsPerIp > 0 ? limits.maxConnsPerIp * 2 : 10_000, 1, 10_000_000),
      mtu: env.int('COMET_KCP_MTU', 1_400, 50, 65_000),
      idleMs: env.int('COMET_KCP_IDLE_MS', 120_000, 1_000, 3_600_000),
      trustedRelays: env.list('COMET_KCP_TRUSTED_RELAYS', []),
      intervalMs: env.int('COMET_KCP_INTERVAL_MS', 10, 1, 1_000),
      window: env.int('COMET_KCP_WINDOW', 256, 16, 4_096),
    },
  };
  // Last, so an earlier bad value is the one reported.
  return { ...config, cluster: loadClusterTrust(env, 'COMET', { secret: defaults.clusterSecret }) };
}
