import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Clock, type Logger, type MetricsRegistry, NestPinoLogger } from '@imgate/common';
import { installBodyParsers } from './http/body-parsers';
import type { LogicConfig } from './logic.config';
import type { LogicInfra } from './logic.infra';
import { LogicModule } from './logic.module';

/** Builds and starts logic (HTTP + gRPC) on the given stores; used by the role's main and by the embedded default. */
export async function startLogic(
  config: LogicConfig,
  infra: LogicInfra,
  logger: Logger,
  clock: Clock,
  metrics: MetricsRegistry,
): Promise<NestExpressApplication> {
  const log = logger.child({ role: 'logic' });
  const app = await NestFactory.create<NestExpressApplication>(LogicModule.register(config, infra, log, clock, metrics), {
    bodyParser: false,
    logger: new NestPinoLogger(log),
  });
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  installBodyParsers(app, config.pushMaxBytes);
  await app.listen(config.httpPort, '0.0.0.0');
  log.info({ http: config.httpPort, grpc: config.grpcAddress, auth: config.auth.mode }, 'logic started');
  return app;
}
