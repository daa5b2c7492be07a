import { Inject, Injectable } from '@nestjs/common';
import { METRICS, type MetricsRegistry } from '@imgate/common';
import { Counter, Gauge, Histogram } from 'prom-client';

@Injectable()
export class JobMetrics {
  readonly records: Counter<'result'>;
  readonly comets: Gauge;
  readonly cometCall: Histogram<'result'>;
  readonly lag: Gauge<'partition'>;

  constructor(@Inject(METRICS) registry: MetricsRegistry) {
    const registers = [registry];
    this.records = new Counter({ name: 'imgate_job_records_total', help: 'Queue records handled, by result', labelNames: ['result'], registers });
    this.comets = new Gauge({ name: 'imgate_job_comets', help: 'Comets known from the registry', registers });
    this.lag = new Gauge({ name: 'imgate_job_consumer_lag', help: 'Records behind the end of each push-topic partition', labelNames: ['partition'], registers });
    this.cometCall = new Histogram({
      name: 'imgate_job_comet_call_seconds',
      help: 'gRPC calls from job to comets',
      labelNames: ['result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
  }
}
