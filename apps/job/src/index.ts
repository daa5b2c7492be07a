// job's public entry: the embedded default, the role's main and tests use only what is here.
export { startJob } from './job.app';
export { type JobConfig, loadJobConfig } from './job.config';
export { type JobInfra, memoryJobInfra, redisKafkaJobInfra } from './job.infra';
