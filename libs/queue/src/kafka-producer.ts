import { type Kafka as KafkaClient, Partitioners, type Producer } from 'kafkajs';
import { type DependencyStatus, type Logger, retryForever } from '@imgate/common';
import { createKafka, ensureTopics, type KafkaSettings } from './kafka-queue';
import { type QueueAck, type QueueProducer, type QueueRecord, QueueUnavailableError } from './queue';

export interface ProducerLimits {
  /** Records waiting for Kafka, at most; a send beyond is refused at once (back-pressure, flat memory). */
  maxQueued: number;
  /** A send not acknowledged by then is refused (its caller answers 503). */
  timeoutMs: number;
}

interface Pending {
  topic: string;
  records: QueueRecord[];
  resolve: (acks: QueueAck[]) => void;
  reject: (err: Error) => void;
  /** Settled (answered, or timed out): a timed-out send still queued is never written. */
  done: boolean;
  timer: NodeJS.Timeout;
}

type Partitioner = ReturnType<typeof Partitioners.DefaultPartitioner>;

/** How often a producer that lost Kafka checks whether it answers again. */
const PROBE_MS = 1_000;

/**
 * Idempotent, acks=all producer with natural batching: while one produce request is in flight,
 * later sends queue up and go together in the next request. An idle producer adds no delay; a
 * busy one amortises the broker round trip over many records, and order per key still holds.
 *
 * Kafka being away is not fatal and costs no memory: start() returns at once and connects in the
 * background; while Kafka is unavailable (not yet connected, or a write failed or timed out) a
 * send is refused at once with QueueUnavailableError, the queue holds at most `maxQueued`
 * records, and every send is answered within `timeoutMs`. A probe brings the producer back.
 */
export class KafkaProducer implements QueueProducer {
  private readonly kafka: KafkaClient;
  private readonly producer: Producer;
  private readonly partitioner: Partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionCounts = new Map<string, number>();
  private queue: Pending[] = [];
  private queuedRecords = 0;
  private inFlight = 0;
  private flushing = false;
  private stopped = false;
  private probing = false;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly limits: ProducerLimits,
    private readonly status: DependencyStatus,
    private readonly logger: Logger,
  ) {
    // At most a second between kafkajs' tries: a probe that began during an outage must not sit
    // out a 5 s pause after the broker is back (sends are bounded by limits.timeoutMs anyway).
    this.kafka = createKafka(settings, logger, { retries: 8, maxRetryTime: PROBE_MS });
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  /** Records queued or in flight (the logic's push queue depth). */
  get depth(): number {
    return this.queuedRecords + this.inFlight;
  }

  async start(): Promise<void> {
    void this.reconnect(async () => {
      await ensureTopics(this.kafka, this.settings.topics, this.settings.partitions);
      await this.loadPartitionCounts(this.settings.topics);
      await this.producer.connect();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.flushing) await new Promise((r) => setTimeout(r, 10));
    await this.producer.disconnect();
  }

  send(topic: string, records: QueueRecord[]): Promise<QueueAck[]> {
    if (!this.status.up) return Promise.reject(new QueueUnavailableError(`kafka unavailable: ${this.status.state().reason ?? 'not connected'}`));
    if (this.queuedRecords + records.length > this.limits.maxQueued) {
      return Promise.reject(new QueueUnavailableError(`push queue full (${this.queuedRecords} records waiting for kafka)`));
    }
    return new Promise((resolve, reject) => {
      const p: Pending = { topic, records, resolve, reject, done: false, timer: undefined as unknown as NodeJS.Timeout };
      p.timer = setTimeout(() => this.timedOut(p), this.limits.timeoutMs);
      this.queue.push(p);
      this.queuedRecords += records.length;
      if (!this.flushing) void this.flush();
    });
  }

  private timedOut(p: Pending): void {
    if (p.done) return;
    p.done = true;
    p.reject(new QueueUnavailableError(`kafka did not acknowledge within ${this.limits.timeoutMs} ms`));
    // Nothing answers in time: refuse at once from now on, until the probe finds Kafka again.
    this.lost(`no acknowledgement within ${this.limits.timeoutMs} ms`);
  }

  /** Marks Kafka away, refuses what is queued, and probes until it answers. */
  private lost(reason: string): void {
    this.status.markDown(reason);
    for (const p of this.queue.splice(0)) this.settle(p, undefined, new QueueUnavailableError(`kafka unavailable: ${reason}`));
    this.queuedRecords = 0;
    void this.reconnect(() => this.loadPartitionCounts(this.settings.topics));
  }

  private async reconnect(attempt: () => Promise<void>): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const ok = await retryForever(attempt, {
      stopped: () => this.stopped,
      onError: (err, delayMs) => this.status.markDown(`${err.message} (next try in ${delayMs} ms)`),
      baseMs: 250,
      capMs: PROBE_MS,
    });
    this.probing = false;
    if (ok) this.status.markUp();
  }

  private settle(p: Pending, acks?: QueueAck[], err?: Error): void {
    clearTimeout(p.timer);
    if (p.done) return;
    p.done = true;
    if (acks) p.resolve(acks);
    else p.reject(err ?? new Error('not written'));
  }

  private async loadPartitionCounts(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      for (const t of meta.topics) this.partitionCounts.set(t.name, t.partitions.length);
    } finally {
      await admin.disconnect();
    }
  }

  /** The partition Kafka's default (murmur2) partitioner picks, so each record's offset can be reported. */
  private partitionOf(topic: string, key: string): number {
    const count = this.partitionCounts.get(topic) ?? 1;
    const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
    return this.partitioner({ topic, partitionMetadata, message: { key, value: null } });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const taken = this.queue.splice(0, 500);
        for (const p of taken) this.queuedRecords -= p.records.length;
        // Sends that timed out while queued are never written: their callers were already told 503.
        const batch = taken.filter((p) => !p.done);
        if (batch.length === 0) continue;
        const records = batch.reduce((n, p) => n + p.records.length, 0);
        this.inFlight += records;
        const unknown = [...new Set(batch.map((b) => b.topic))].filter((t) => !this.partitionCounts.has(t));
        try {
          if (unknown.length) await this.loadPartitionCounts(unknown);
          await this.produce(batch);
        } catch (err) {
          for (const p of batch) this.settle(p, undefined, new QueueUnavailableError(`kafka write failed: ${(err as Error).message}`));
          this.logger.warn({ err: (err as Error).message, records }, 'kafka write failed');
          this.lost((err as Error).message);
        } finally {
          this.inFlight -= records;
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async produce(batch: Pending[]): Promise<void> {
    // Position of each record within its topic-partition in this request: offset = baseOffset + position.
    const positions = new Map<string, number>();
    const placed = batch.map((p) =>
      p.records.map((r) => {
        const partition = this.partitionOf(p.topic, r.key);
        const tp = `${p.topic}/${partition}`;
        const position = positions.get(tp) ?? 0;
        positions.set(tp, position + 1);
        return { partition, tp, position };
      }),
    );
    const byTopic = new Map<string, Array<{ key: string; value: Buffer; partition: number }>>();
    batch.forEach((p, i) => {
      const list = byTopic.get(p.topic) ?? [];
      p.records.forEach((r, j) => list.push({ key: r.key, value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength), partition: placed[i][j].partition }));
      byTopic.set(p.topic, list);
    });
    const meta = await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    const base = new Map(meta.map((m) => [`${m.topicName}/${m.partition}`, BigInt(m.baseOffset ?? '0')]));
    batch.forEach((p, i) =>
      this.settle(p, placed[i].map(({ partition, tp, position }) => ({ partition, offset: String((base.get(tp) ?? 0n) + BigInt(position)) }))),
    );
  }
}
