import pino from 'pino';
import { type Clock, createMetricsRegistry } from '@imgate/common';
import { MemoryCometRegistry } from '@imgate/store';
import type { LogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { CometKicker } from './comet-kicker';
import { MemoryConnectionRecordRepository } from './memory-connection-record.repository';
import { ResumeService } from './resume.service';

/** For specs: a ResumeService over in-memory records, with a kicker that finds no comets (and records what it was asked). */
export function memoryResume(config: LogicConfig, clock: Clock, metrics = new LogicMetrics(createMetricsRegistry())) {
  const logger = pino({ level: 'silent' });
  const records = new MemoryConnectionRecordRepository(clock);
  const kicks: string[] = [];
  const kicker = new CometKicker(new MemoryCometRegistry(60_000, clock), logger, { cluster: { mode: 'none' } });
  kicker.kick = async (server, key, code) => {
    kicks.push(`${server} ${key} ${code}`);
    return 1;
  };
  return { resume: new ResumeService(records, config, kicker, metrics, logger), records, kicks };
}
