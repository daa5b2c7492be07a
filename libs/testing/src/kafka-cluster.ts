import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { freePorts } from './ports';
import { repoRoot } from './processes';

const run = promisify(execFile);

/**
 * Three KRaft nodes of the test's own (`scripts/kafka.sh cluster`, on free ports and a temp state
 * dir; never the shared broker): replication factor 3, min.insync.replicas 2. ~300 MB and one JVM
 * per node (-Xmx256m).
 */
export class PrivateKafkaCluster {
  private constructor(
    readonly ports: number[],
    private readonly env: Record<string, string>,
    private readonly state: string,
  ) {}

  static async create(): Promise<PrivateKafkaCluster> {
    const ports = await freePorts(6);
    const state = mkdtempSync(join(tmpdir(), 'imgate-kafka-cluster-'));
    const env = {
      KAFKA_CLUSTER_PORTS: ports.slice(0, 3).join(','),
      KAFKA_CLUSTER_CONTROLLER_PORTS: ports.slice(3).join(','),
      IMGATE_STATE: state,
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx256m',
    };
    return new PrivateKafkaCluster(ports.slice(0, 3), env, state);
  }

  /** KAFKA_BROKERS for the roles: all three. */
  get brokers(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  private async script(...args: string[]): Promise<string> {
    const { stdout } = await run('bash', [join(repoRoot(), 'scripts/kafka.sh'), 'cluster', ...args], { env: { ...process.env, ...this.env }, timeout: 180_000 });
    if (args[0] === 'up' || args[0] === 'start') this.notePids();
    return stdout;
  }

  private notePids(): void {
    // The test runner reaps what a crashed test left running, by these pids only.
    if (!process.env.IMGATE_TEST_PIDS) return;
    for (const n of [1, 2, 3]) {
      try {
        appendFileSync(process.env.IMGATE_TEST_PIDS, `${readFileSync(join(this.state, 'kafka-cluster', `node-${n}`, 'kafka', 'kafka.pid'), 'utf8').trim()}\n`);
      } catch {
        // that node is not running
      }
    }
  }

  async up(): Promise<void> {
    await this.script('up');
  }

  /** SIGKILL one node (1-3): a crash, not a clean shutdown. */
  async kill(node: number): Promise<void> {
    await this.script('kill', String(node));
  }

  async start(node: number): Promise<void> {
    await this.script('start', String(node));
  }

  async down(): Promise<void> {
    await this.script('down').catch(() => undefined);
    rmSync(this.state, { recursive: true, force: true });
  }

  /**
   * Per partition of the topic: its leader (node id 1-3, or -1 while none), its in-sync replicas
   * and its end offset — the partition a test's records went to is the one whose offset moved.
   */
  async partitions(topic: string): Promise<Array<{ partition: number; leader: number; isr: number[]; replicas: number[]; end: number }>> {
    const admin = new Kafka({ clientId: 'imgate-test-admin', brokers: this.brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 3 } }).admin();
    await admin.connect();
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
      return meta.partitions
        .map((p) => ({ partition: p.partitionId, leader: p.leader, isr: p.isr, replicas: p.replicas, end: ends.get(p.partitionId) ?? 0 }))
        .sort((a, b) => a.partition - b.partition);
    } finally {
      await admin.disconnect();
    }
  }
}
