import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Clock, type Logger, type MetricsRegistry, NestPinoLogger } from '@imgate/common';
import type { JobConfig } from './job.config';
import type { JobInfra } from './job.infra';
import { JobModule } from './job.module';

/** Builds and starts job: the push consumer, the comet pool, health/metrics HTTP. */
export async function startJob(config: JobConfig, infra: JobInfra, metrics: MetricsRegistry, logger: Logger, clock: Clock): Promise<NestExpressApplication> {
  const log = logger.child({ role: 'job' });
  const app = await NestFactory.create<NestExpressApplication>(JobModule.register(config, infra, metrics, log, clock), {
    logger: new NestPinoLogger(log),
  });
  app.disable('x-powered-by');
  await app.listen(config.httpPort, '0.0.0.0');
  log.info({ http: config.httpPort, group: config.groupId }, 'job started');
  return app;
}
