import { Inject, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { CLOCK, type Clock, LOGGER } from './clock';
import type { Readiness } from './dependency';
import type { Logger } from './logger';
import { METRICS, type MetricsRegistry } from './metrics';

/** The stores a role runs on (Redis and Kafka, or their in-memory stand-ins), with their lifecycle. */
export interface RoleInfra {
  /** Connects the stores; runs before anything serves. */
  start(): Promise<void>;
  /** Closes the stores; runs after everything stopped serving. */
  stop(): Promise<void>;
  /** Dependency name → does it answer, with a reason when not (the role's /health/ready). */
  ready(): Promise<Readiness>;
}

/** What every role's `start*` entry takes: one object of the same shape for comet, logic and job. */
export interface RoleDeps<Config, Infra extends RoleInfra> {
  config: Config;
  infra: Infra;
  logger: Logger;
  clock: Clock;
  metrics: MetricsRegistry;
}

export const ROLE_INFRA = Symbol('ROLE_INFRA');

/** Starts the stores before anything serves and stops them after everything stopped serving. */
export class InfraLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(ROLE_INFRA) private readonly infra: RoleInfra) {}
  onModuleInit(): Promise<void> {
    return this.infra.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.infra.stop();
  }
}

/** The providers every role module registers from its deps: infra (with its lifecycle), logger, clock, metrics. */
export function roleProviders<Config, Infra extends RoleInfra>(deps: RoleDeps<Config, Infra>): Provider[] {
  return [
    { provide: ROLE_INFRA, useValue: deps.infra },
    InfraLifecycle,
    { provide: LOGGER, useValue: deps.logger },
    { provide: CLOCK, useValue: deps.clock },
    { provide: METRICS, useValue: deps.metrics },
  ];
}
