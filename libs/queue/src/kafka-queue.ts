import { type Consumer, type Kafka as KafkaClient, Kafka, logLevel, type LogEntry, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from '@imgate/common';
import type { ConsumedRecord, QueueAck, QueueConsumer, QueueProducer, QueueRecord } from './queue';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Topics the producer makes sure exist at start, with this many partitions. */
  topics: string[];
  partitions: number;
}

function createKafka(settings: KafkaSettings, logger: Logger): KafkaClient {
  const log = logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        if (level <= logLevel.ERROR) log.error(rest, message);
        else log.warn(rest, message);
      },
  });
}

async function ensureTopics(kafka: KafkaClient, topics: string[], partitions: number): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions })) });
    }
  } finally {
    await admin.disconnect();
  }
}

interface Pending {
  topic: string;
  records: QueueRecord[];
  resolve: (acks: QueueAck[]) => void;
  reject: (err: Error) => void;
}

type Partitioner = ReturnType<typeof Partitioners.DefaultPartitioner>;

/**
 * Idempotent, acks=all producer with natural batching: while one produce request is in flight,
 * later sends queue up and go together in the next request. An idle producer adds no delay; a
 * busy one amortises the broker round trip over many records, and order per key still holds.
 */
export class KafkaProducer implements QueueProducer {
  private readonly kafka: KafkaClient;
  private readonly producer: Producer;
  private readonly partitioner: Partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionCounts = new Map<string, number>();
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly settings: KafkaSettings, logger: Logger) {
    this.kafka = createKafka(settings, logger);
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  async start(): Promise<void> {
    await ensureTopics(this.kafka, this.settings.topics, this.settings.partitions);
    await this.loadPartitionCounts(this.settings.topics);
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 10));
    await this.producer.disconnect();
  }

  send(topic: string, records: QueueRecord[]): Promise<QueueAck[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, records, resolve, reject });
      if (!this.flushing) void this.flush();
    });
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
        const batch = this.queue.splice(0, 500);
        const unknown = [...new Set(batch.map((b) => b.topic))].filter((t) => !this.partitionCounts.has(t));
        try {
          if (unknown.length) await this.loadPartitionCounts(unknown);
          await this.produce(batch);
        } catch (err) {
          for (const p of batch) p.reject(err as Error);
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
      p.resolve(placed[i].map(({ partition, tp, position }) => ({ partition, offset: String((base.get(tp) ?? 0n) + BigInt(position)) }))),
    );
  }
}

export interface KafkaConsumerSettings extends KafkaSettings {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  /** Partitions handled in parallel by one member; order still holds within a partition. */
  concurrency: number;
  /** A fetch waits for this many bytes... */
  minBytes: number;
  /** ...or this long, whichever comes first: the batching window. */
  maxWaitMs: number;
}

export class KafkaConsumer implements QueueConsumer {
  private readonly consumer: Consumer;
  private member = false;
  private lagListener?: (partition: number, lag: number) => void;

  onLag(listener: (partition: number, lag: number) => void): void {
    this.lagListener = listener;
  }

  constructor(private readonly settings: KafkaConsumerSettings, private readonly logger: Logger) {
    const kafka = createKafka(settings, logger);
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(settings.sessionTimeoutMs / 5)),
      minBytes: settings.minBytes,
      maxWaitTimeInMs: settings.maxWaitMs,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.member = true;
      this.logger.info({ groupId: settings.groupId }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.STOP, () => (this.member = false));
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.member = false;
      this.logger.error({ err: String(e.payload.error) }, 'consumer crashed; kafkajs restarts it');
    });
  }

  get running(): boolean {
    return this.member;
  }

  async start(handler: (records: ConsumedRecord[]) => Promise<void>): Promise<void> {
    await ensureTopics(
      createKafka(this.settings, this.logger),
      [this.settings.topic],
      this.settings.partitions,
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.settings.topic, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.settings.concurrency,
      autoCommitInterval: 500,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        const { topic, partition } = batch;
        // Throwing here leaves the offsets unresolved: kafkajs seeks back and redelivers the batch.
        await handler(
          batch.messages.map((m) => ({ topic, partition, offset: m.offset, key: m.key?.toString() ?? '', value: m.value ?? Buffer.alloc(0) })),
        );
        resolveOffset(batch.lastOffset());
        this.lagListener?.(partition, Number(batch.offsetLag()));
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.member = false;
  }
}
