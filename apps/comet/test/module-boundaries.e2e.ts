import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Cluster, repoRoot, startCluster, testOutputDir, waitFor } from '@imgate/testing';

const probe = join(repoRoot(), 'dist', 'libs', 'testing', 'src', 'module-report.js');
const report = join(testOutputDir('module-boundaries'), 'modules.txt');

/** The npm packages a running role process has loaded (asked over SIGUSR2 through the preloaded probe). */
async function loaded(pid: number, file: string): Promise<string[]> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'), 10_000, `${file}`);
  return readFileSync(file, 'utf8').trim().split('\n');
}

describe('role boundaries: each role loads only the stores it uses', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({
      name: 'module-boundaries',
      env: { NODE_OPTIONS: `--require ${probe}`, IMGATE_MODULE_REPORT: report },
    });
  });
  after(() => cluster?.stop());

  it('a comet never loads kafkajs; logic and job do (so the probe sees it when it is there)', async () => {
    // Every process got the same report path: ask one at a time.
    const comet = await loaded(cluster.comets[0]!.proc.pid!, report);
    assert.ok(comet.includes('ioredis'), `comet talks to Redis, so the probe must list ioredis: ${comet.join(', ')}`);
    assert.ok(!comet.includes('kafkajs'), `comet loaded kafkajs: ${comet.join(', ')}`);
    const logic = await loaded(cluster.logic.proc.pid!, report);
    assert.ok(logic.includes('kafkajs'), `logic produces to Kafka, so the probe must list kafkajs: ${logic.join(', ')}`);
    const job = await loaded(cluster.job.proc.pid!, report);
    assert.ok(job.includes('kafkajs'));
  });
});
