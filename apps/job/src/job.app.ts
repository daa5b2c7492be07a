import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestPinoLogger, type RoleDeps } from '@imgate/common';
import type { JobConfig } from './job.config';
import type { JobInfra } from './job.infra';
import { JobModule } from './job.module';

/** Builds and starts job: the push consumer, the comet pool, health/metrics HTTP. */
export async function startJob(deps: RoleDeps<JobConfig, JobInfra>): Promise<NestExpressApplication> {
  const { config } = deps;
  const logger = deps.logger.child({ role: 'job' });
  const app = await NestFactory.create<NestExpressApplication>(JobModule.register({ ...deps, logger }), {
    logger: new NestPinoLogger(logger),
  });
  app.disable('x-powered-by');
  await app.listen(config.httpPort, '0.0.0.0');
  logger.info({ http: config.httpPort, group: config.groupId, cluster: config.cluster.mode }, 'job started');
  return app;
}
