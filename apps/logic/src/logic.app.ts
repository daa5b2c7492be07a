import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestPinoLogger, type RoleDeps } from '@imgate/common';
import { apiAuthMiddleware } from './api-auth/api-auth.middleware';
import { installBodyParsers } from './http/body-parsers';
import { LogicMetrics } from './logic.metrics';
import { type LogicConfig, securityWarnings } from './logic.config';
import type { LogicInfra } from './logic.infra';
import { LogicModule } from './logic.module';

/** Builds and starts logic (HTTP + gRPC) on the given stores; used by the role's main and by the embedded default. */
export async function startLogic(deps: RoleDeps<LogicConfig, LogicInfra>): Promise<NestExpressApplication> {
  const { config } = deps;
  const logger = deps.logger.child({ role: 'logic' });
  const app = await NestFactory.create<NestExpressApplication>(LogicModule.register({ ...deps, logger }), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
  });
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  // Before the body parsers: a refused call is answered without reading its body.
  app.use(apiAuthMiddleware(config.api, app.get(LogicMetrics).apiRefused));
  installBodyParsers(app, config.pushMaxBytes);
  await app.listen(config.httpPort, config.httpHost);
  for (const warning of securityWarnings(config)) logger.warn(warning);
  logger.info({ http: `${config.httpHost}:${config.httpPort}`, grpc: config.grpcAddress, auth: config.auth.mode, api: config.api.mode, cluster: config.cluster.mode }, 'logic started');
  return app;
}
