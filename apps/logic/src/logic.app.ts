import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestPinoLogger, type RoleDeps } from '@imgate/common';
import { installBodyParsers } from './http/body-parsers';
import type { LogicConfig } from './logic.config';
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
  installBodyParsers(app, config.pushMaxBytes);
  await app.listen(config.httpPort, '0.0.0.0');
  logger.info({ http: config.httpPort, grpc: config.grpcAddress, auth: config.auth.mode }, 'logic started');
  return app;
}
