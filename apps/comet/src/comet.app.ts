import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestPinoLogger, type RoleDeps } from '@imgate/common';
import type { CometConfig } from './comet.config';
import type { CometInfra } from './comet.infra';
import { CometModule } from './comet.module';

/** Builds and starts a comet: client listeners, gRPC service, health/metrics HTTP, registration. */
export async function startComet(deps: RoleDeps<CometConfig, CometInfra>): Promise<NestExpressApplication> {
  const { config } = deps;
  const logger = deps.logger.child({ role: 'comet', comet: config.id });
  const app = await NestFactory.create<NestExpressApplication>(CometModule.register({ ...deps, logger }), {
    logger: new NestPinoLogger(logger),
  });
  app.disable('x-powered-by');
  await app.listen(config.httpPort, '0.0.0.0');
  if (config.cluster.mode === 'none') logger.warn('CLUSTER_AUTH=none: anyone who reaches this comet\'s gRPC can deliver to and kick its clients');
  logger.info({ tcp: config.tcpPort, ws: config.wsPort, grpc: config.grpcPort, http: config.httpPort, cluster: config.cluster.mode }, 'comet started');
  return app;
}
