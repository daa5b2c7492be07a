import { Env, type InfraConfig, loadInfraConfig } from '@imgate/common';

export interface JobConfig {
  infra: InfraConfig;
  httpPort: number;
  groupId: string;
  /** Partitions one job consumes in parallel (order still holds within each). */
  concurrency: number;
  sessionTimeoutMs: number;
  cometTimeoutMs: number;
  registryRefreshMs: number;
}

export function loadJobConfig(env: Env): JobConfig {
  return {
    infra: loadInfraConfig(env),
    httpPort: env.port('JOB_HTTP_PORT', 3121),
    groupId: env.str('JOB_GROUP_ID', 'imgate-job', /^[A-Za-z0-9._-]{1,200}$/),
    concurrency: env.int('JOB_CONCURRENCY', 4, 1, 256),
    sessionTimeoutMs: env.int('JOB_SESSION_TIMEOUT_MS', 10_000, 6_000, 300_000),
    cometTimeoutMs: env.int('JOB_COMET_TIMEOUT_MS', 5_000, 100, 60_000),
    registryRefreshMs: env.int('JOB_REGISTRY_REFRESH_MS', 2_000, 100, 60_000),
  };
}
