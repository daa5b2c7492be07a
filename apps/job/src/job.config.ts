import { type ClusterTrust, Env, type InfraConfig, loadClusterTrust, loadInfraConfig } from '@imgate/common';

export interface JobConfig {
  infra: InfraConfig;
  httpPort: number;
  groupId: string;
  /** Partitions one job consumes in parallel (order still holds within each). */
  concurrency: number;
  sessionTimeoutMs: number;
  /** The longest pause between tries to reach Kafka: bounds how long after a broker's return job fetches again. */
  kafkaRetryMaxMs: number;
  cometTimeoutMs: number;
  /** Attempts per delivery to one comet, within the budget; then its part is dropped (and counted). */
  cometRetries: number;
  cometRetryBudgetMs: number;
  /** A comet whose delivery was dropped is skipped this long. */
  cometCooldownMs: number;
  /** Records accepted longer ago are skipped (0: never): a new consumer group does not replay old pushes. */
  maxMessageAgeMs: number;
  registryRefreshMs: number;
  /** A queue fetch waits for this many bytes or for the window, whichever comes first. */
  batchBytes: number;
  batchWindowMs: number;
  /** Room messages merged into one batch for clients, at most. */
  roomBatchMessages: number;
  roomBatchBytes: number;
  /** How often the room → comets map is re-read in full (joins also arrive as events). */
  roomRefreshMs: number;
  /** How job proves itself to comets (mTLS or CLUSTER_SECRET). */
  cluster: ClusterTrust;
}

export function loadJobConfig(env: Env, defaults: { clusterSecret?: string } = {}): JobConfig {
  const config: Omit<JobConfig, 'cluster'> = {
    infra: loadInfraConfig(env),
    httpPort: env.port('JOB_HTTP_PORT', 3121),
    groupId: env.str('JOB_GROUP_ID', 'imgate-job', /^[A-Za-z0-9._-]{1,200}$/),
    concurrency: env.int('JOB_CONCURRENCY', 4, 1, 256),
    sessionTimeoutMs: env.int('JOB_SESSION_TIMEOUT_MS', 10_000, 6_000, 300_000),
    kafkaRetryMaxMs: env.int('JOB_KAFKA_RETRY_MAX_MS', 1_000, 100, 60_000),
    cometTimeoutMs: env.int('JOB_COMET_TIMEOUT_MS', 5_000, 100, 60_000),
    cometRetries: env.int('JOB_COMET_RETRIES', 3, 1, 100),
    cometRetryBudgetMs: env.int('JOB_COMET_RETRY_BUDGET_MS', 3_000, 100, 60_000),
    cometCooldownMs: env.int('JOB_COMET_COOLDOWN_MS', 2_000, 0, 600_000),
    maxMessageAgeMs: env.int('JOB_MAX_MESSAGE_AGE_MS', 300_000, 0, 30 * 86_400_000),
    registryRefreshMs: env.int('JOB_REGISTRY_REFRESH_MS', 2_000, 100, 60_000),
    batchBytes: env.int('JOB_BATCH_BYTES', 16 * 1024, 1, 16 * 1024 * 1024),
    batchWindowMs: env.int('JOB_BATCH_WINDOW_MS', 10, 0, 1_000),
    roomBatchMessages: env.int('JOB_ROOM_BATCH_MESSAGES', 64, 1, 10_000),
    roomBatchBytes: env.int('JOB_ROOM_BATCH_BYTES', 64 * 1024, 1_024, 4 * 1024 * 1024),
    roomRefreshMs: env.int('JOB_ROOM_REFRESH_MS', 1_000, 100, 60_000),
  };
  // Last, so an earlier bad value is the one reported.
  return { ...config, cluster: loadClusterTrust(env, 'JOB', { secret: defaults.clusterSecret }) };
}
