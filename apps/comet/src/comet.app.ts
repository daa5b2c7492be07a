import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestPinoLogger } from '@imgate/common';
import type { CometConfig } from './comet.config';
import { type CometDeps, CometModule } from './comet.module';

/** Builds and starts a comet: client listeners, gRPC service, health/metrics HTTP, registration. */
export async function startComet(config: CometConfig, deps: CometDeps): Promise<NestExpressApplication> {
  const logger = deps.logger.child({ role: 'comet', comet: config.id });
  const app = await NestFactory.create<NestExpressApplication>(CometModule.register(config, { ...deps, logger }), {
    logger: new NestPinoLogger(logger),
  });
  app.disable('x-powered-by');
  await app.listen(config.httpPort, '0.0.0.0');
  logger.info({ tcp: config.tcpPort, ws: config.wsPort, grpc: config.grpcPort, http: config.httpPort }, 'comet started');
  return app;
}
